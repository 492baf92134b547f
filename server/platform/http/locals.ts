// Per-request view data: the language and its translate function, the signed-in user, the
// navigation they may see, and flash messages from the previous request (read once, then gone).
import type { RequestHandler } from 'express';
import { DEFAULT_LANGUAGE, isLanguage, type Language, type Translator } from '../i18n.js';
import type { FlashMessage } from './session.js';

export interface NavItem {
  href: string;
  key: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    lang: Language;
  }
}

export function viewLocals(translator: Translator, navFor: (user: Express.User | undefined) => NavItem[]): RequestHandler {
  return (req, res, next) => {
    const lang: Language = isLanguage(req.user?.locale) ? req.user.locale : isLanguage(req.session?.lang) ? req.session.lang : DEFAULT_LANGUAGE;
    req.lang = lang;
    res.locals.lang = lang;
    const t = translator.t(lang);
    res.locals.t = t;
    // For GOV.UK components' errorMessage option: { text } when the field has an error, else false —
    // with the prefix a screen reader says before it in the reader's language ("Lỗi:", not "Error:").
    res.locals.errorFor = (errors: Record<string, string> | undefined, field: string) =>
      errors?.[field] ? { text: t(errors[field]), visuallyHiddenText: t('app.errorPrefix') } : false;
    res.locals.user = req.user ?? null;
    res.locals.currentPath = req.path;
    res.locals.currentUrl = req.originalUrl;
    res.locals.nav = navFor(req.user).map((item) => ({ ...item, active: req.path === item.href || (item.href !== '/' && req.path.startsWith(item.href + '/')) }));
    // Flash messages are taken from the session only when a page is actually rendered, so a redirect
    // on the way (to the password or second-factor page, say) does not swallow them.
    let taken: FlashMessage[] | null = null;
    Object.defineProperty(res.locals, 'flash', {
      enumerable: true,
      configurable: true,
      get: () => {
        if (taken === null) {
          taken = req.session?.flash ?? [];
          if (req.session) delete req.session.flash;
        }
        return taken;
      },
    });
    next();
  };
}

/** Pages behind sign-in: anonymous visitors go to the sign-in page and come back afterwards. */
export const requireSignIn: RequestHandler = (req, res, next) => {
  if (req.user) return next();
  if (req.method === 'GET') return res.redirect(303, `/login?returnTo=${encodeURIComponent(req.originalUrl)}`);
  res.redirect(303, '/login');
};
