// Builds the Express application from its dependencies. It never listens and never connects: main.ts
// does that, and tests build as many apps as they like against their own database.
import crypto from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import { multipartCsrfField } from './attachments/index.js';
import { recordAudit } from './audit/index.js';
import { configurePassport } from './auth/index.js';
import { navFor } from './navigation.js';
import type { AppDeps } from './platform/deps.js';
import { csrfProtection, csrfToken } from './platform/http/csrf.js';
import { errorHandler, notFound } from './platform/http/errors.js';
import { healthRouter } from './platform/http/health.js';
import { requestIdOf } from './platform/http/request-context.js';
import { viewLocals } from './platform/http/locals.js';
import { cspNonce, securityHeaders } from './platform/http/security.js';
import { absoluteTimeout, sessionMiddleware } from './platform/http/session.js';
import { DEFAULT_LANGUAGE } from './platform/i18n.js';
import { PUBLIC_DIR, VIEWS_DIR } from './platform/paths.js';
import { configureCaches } from './platform/cache.js';
import { configureViews, govukFrontendDist } from './platform/views.js';
import { mountRoutes } from './routes.js';

const require = createRequire(import.meta.url);

/** What the request log keeps of a URL: no query string, and never an agency's link token. */
function redactUrl(url: string): string {
  return url.replace(/\?.*$/, '').replace(/^\/a\/[^/]+/, '/a/…');
}

export function createApp(deps: AppDeps): Express {
  const { config } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  configureViews(app, VIEWS_DIR, { watch: config.NODE_ENV === 'development' });
  configureCaches({ seconds: { reference: config.REFERENCE_CACHE_SECONDS, figures: config.STATISTICS_CACHE_SECONDS }, clock: deps.clock });

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = crypto.randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || (req.url ?? '').startsWith('/assets/') },
      serializers: { req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }) },
    }),
  );
  // Error pages must be renderable even when a failure happens before the per-request locals.
  app.use((_req, res, next) => {
    res.locals.t = deps.translator.t(DEFAULT_LANGUAGE);
    res.locals.lang = DEFAULT_LANGUAGE;
    res.locals.nav = [];
    res.locals.flash = [];
    next();
  });
  app.use(cspNonce(), securityHeaders({ behindTls: config.BASE_URL.startsWith('https://') }));

  const staticOptions = { index: false, fallthrough: true, maxAge: config.NODE_ENV === 'production' ? '7d' : 0 };
  app.use('/assets/govuk', express.static(path.join(govukFrontendDist(), 'govuk'), staticOptions));
  app.use('/assets/fonts', express.static(path.join(path.dirname(require.resolve('@fontsource/be-vietnam-pro/package.json')), 'files'), staticOptions));
  app.use('/assets', express.static(PUBLIC_DIR, staticOptions));
  app.use(healthRouter(deps.connection));

  app.use(sessionMiddleware({ connection: deps.connection, secret: config.SESSION_SECRET, idleMinutes: config.SESSION_IDLE_MINUTES, secureCookie: config.BASE_URL.startsWith('https://') }));
  app.use(absoluteTimeout(config.SESSION_ABSOLUTE_MINUTES, deps.clock));
  const pass = configurePassport(deps.clock);
  app.use(pass.initialize());
  app.use(pass.session());

  // Flat form bodies only (extended: false): `email[$ne]=x` stays a literal key and never becomes an object.
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 200 }));
  app.use(express.json({ limit: '100kb' }));
  // A multipart form's leading `_csrf` field is read here so the one CSRF check below covers uploads too.
  app.use(multipartCsrfField);
  app.use(csrfProtection);
  app.use(csrfToken);
  app.use(viewLocals(deps.translator, navFor));

  mountRoutes(app, deps, pass);

  app.use(notFound);
  app.use(
    errorHandler({
      onForbidden: (req) => {
        void recordAudit({
          action: 'auth.permission-denied',
          at: deps.clock.now(),
          actor: req.user ?? null,
          ip: req.ip ?? null,
          requestId: requestIdOf(req),
          details: { method: req.method, path: req.path },
        }).catch((err: unknown) => req.log.error({ err }, 'could not audit a permission denial'));
      },
    }),
  );
  return app;
}
