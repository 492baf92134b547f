// Rendering an email from its template: views/emails/<template>/{subject,html,text}.njk, in the
// recipient's language. The HTML part is autoescaped; the subject and the text part are not (they are
// plain text, and nodemailer encodes them for the wire). Every template gets the office's name and
// contact line, the site's base URL and an `absoluteUrl` filter, so links in mail always work from
// outside the office's network.
import fs from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { loadConfig, type Config } from '../platform/config.js';
import { formatDate, formatDateTime } from '../platform/dates.js';
import { createTranslator, type Language, type Translator } from '../platform/i18n.js';
import { LOCALES_DIR, VIEWS_DIR } from '../platform/paths.js';

export type MailSettings = Pick<Config, 'BASE_URL' | 'MAIL_FROM' | 'OFFICE_NAME' | 'OFFICE_CONTACT'>;

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

export interface MailRenderer {
  readonly settings: MailSettings;
  render(template: string, locale: Language, data: Record<string, unknown>): RenderedEmail;
}

const TEMPLATE_NAME = /^[a-z][a-z0-9-]{0,39}$/;
const PARTS = ['subject', 'html', 'text'] as const;

/** True for a template that has all three parts under views/emails/. */
export function emailTemplateExists(template: string, viewsDir = VIEWS_DIR): boolean {
  return TEMPLATE_NAME.test(template) && PARTS.every((part) => fs.existsSync(path.join(viewsDir, 'emails', template, `${part}.njk`)));
}

/** '/cases/1' → 'https://office.example/cases/1'; a base URL with a path prefix keeps it. */
export function absoluteUrlFor(baseUrl: string, target: unknown): string {
  if (typeof target !== 'string' || !target.startsWith('/') || target.startsWith('//')) {
    // Templates link only to this site's own pages; anything else is a programming error.
    throw new Error(`an email link must be a path on this site starting with '/': ${JSON.stringify(target)}`);
  }
  return `${baseUrl.replace(/\/+$/, '')}${target}`;
}

function environment(viewsDir: string, autoescape: boolean, settings: MailSettings): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(viewsDir, { noCache: false }), { autoescape, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
  env.addFilter('date', (value: Date | string | null | undefined) => formatDate(value));
  env.addFilter('datetime', (value: Date | string | null | undefined) => formatDateTime(value));
  env.addFilter('isoDate', (value: unknown) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value.split('-').reverse().join('/') : ''));
  env.addFilter('absoluteUrl', (target: unknown) => absoluteUrlFor(settings.BASE_URL, target));
  return env;
}

export function createMailRenderer(settings: MailSettings, translator: Translator, viewsDir = VIEWS_DIR): MailRenderer {
  const html = environment(viewsDir, true, settings);
  const text = environment(viewsDir, false, settings);
  return {
    settings,
    render(template, locale, data) {
      if (!emailTemplateExists(template, viewsDir)) throw new Error(`no email template '${template}' (views/emails/${template}/{subject,html,text}.njk)`);
      const context = {
        ...data,
        data,
        t: translator.t(locale),
        lang: locale,
        office: { name: settings.OFFICE_NAME, contact: settings.OFFICE_CONTACT ?? null },
        baseUrl: settings.BASE_URL.replace(/\/+$/, ''),
      };
      const subject = text.render(`emails/${template}/subject.njk`, context).replace(/\s+/g, ' ').trim();
      if (!subject) throw new Error(`email template '${template}' rendered an empty subject`);
      return {
        subject,
        html: html.render(`emails/${template}/html.njk`, context),
        // Plain text: no trailing spaces, at most one blank line in a row.
        text: `${text
          .render(`emails/${template}/text.njk`, context)
          .replace(/[ \t]+$/gm, '')
          .replace(/\n{3,}/g, '\n\n')
          .trim()}\n`,
      };
    },
  };
}

let configured: MailRenderer | null = null;

/** Set by the composition root (main, worker) and by tests that need other settings. */
export function configureMailRenderer(settings: MailSettings, translator: Translator): MailRenderer {
  configured = createMailRenderer(settings, translator);
  return configured;
}

/**
 * The renderer in use. A process that never configured one (a script, a test of another module)
 * gets one from the environment's configuration, the same settings main.ts would read.
 */
export function mailRenderer(): MailRenderer {
  configured ??= createMailRenderer(loadConfig(process.env), createTranslator(LOCALES_DIR));
  return configured;
}
