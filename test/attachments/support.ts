// An app for the attachment tests: the middleware of server/app.ts in the same order, plus the one
// line this module asks the lead to add there (multipartCsrfField before the CSRF check) and a test
// router standing in for an owning module (letters). Sign-in goes through the real forms.
//
// When app.ts has the line, these tests can move to buildTestApp() with a route mounted in routes.ts;
// until then this mirrors app.ts rather than changing it.
import type { Stream } from 'node:stream';
import express, { type Express, type Router } from 'express';
import mongoose from 'mongoose';
import { pinoHttp } from 'pino-http';
import type supertest from 'supertest';
import { expect } from 'chai';
import { configurePassport, authRouter } from '../../server/auth/index.js';
import { multipartCsrfField } from '../../server/attachments/index.js';
import { navFor } from '../../server/navigation.js';
import { systemClock, type Clock } from '../../server/platform/clock.js';
import type { AppDeps } from '../../server/platform/deps.js';
import { csrfProtection, csrfToken } from '../../server/platform/http/csrf.js';
import { errorHandler, notFound } from '../../server/platform/http/errors.js';
import { requireSignIn, viewLocals } from '../../server/platform/http/locals.js';
import { cspNonce, securityHeaders } from '../../server/platform/http/security.js';
import { sessionMiddleware } from '../../server/platform/http/session.js';
import { DEFAULT_LANGUAGE } from '../../server/platform/i18n.js';
import { createLogger } from '../../server/platform/logger.js';
import { VIEWS_DIR } from '../../server/platform/paths.js';
import { configureViews } from '../../server/platform/views.js';
import { testConfig, testTranslator } from '../support/app.js';

export interface UploadAppOptions {
  clock?: Clock;
  /**
   * 'app': as app.ts will be (multipartCsrfField, then the CSRF check); 'without-field': as app.ts is
   * today; 'none': no global CSRF check at all (the upload parser's own check must hold).
   */
  csrf?: 'app' | 'without-field' | 'none';
}

export function buildUploadApp(mount: (router: Router, deps: AppDeps) => void, options: UploadAppOptions = {}): Express {
  const clock = options.clock ?? systemClock;
  const config = testConfig();
  const deps: AppDeps = { config, clock, logger: createLogger(config.LOG_LEVEL), connection: mongoose.connection, translator: testTranslator() };
  const app = express();
  app.disable('x-powered-by');
  configureViews(app, VIEWS_DIR, { watch: false });
  app.use(pinoHttp({ logger: deps.logger }));
  app.use((_req, res, next) => {
    res.locals.t = deps.translator.t(DEFAULT_LANGUAGE);
    res.locals.lang = DEFAULT_LANGUAGE;
    res.locals.nav = [];
    res.locals.flash = [];
    next();
  });
  app.use(cspNonce(), securityHeaders({ behindTls: false }));
  app.use(sessionMiddleware({ connection: deps.connection, secret: config.SESSION_SECRET, idleMinutes: config.SESSION_IDLE_MINUTES, secureCookie: false }));
  const pass = configurePassport(clock);
  app.use(pass.initialize());
  app.use(pass.session());
  app.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 200 }));
  app.use(express.json({ limit: '100kb' }));
  const csrf = options.csrf ?? 'app';
  if (csrf === 'app') app.use(multipartCsrfField);
  if (csrf !== 'none') app.use(csrfProtection);
  app.use(csrfToken);
  app.use(viewLocals(deps.translator, navFor));

  app.use('/', authRouter(deps, pass));
  app.use(requireSignIn);
  const router = express.Router();
  // A page with a form, as every real form page has: the token to send back.
  router.get('/form', (_req, res) => {
    res.type('html').send(`<form method="post" enctype="multipart/form-data"><input type="hidden" name="_csrf" value="${String(res.locals.csrfToken)}"></form>`);
  });
  mount(router, deps);
  app.use('/t', router);
  app.use(notFound);
  app.use(errorHandler());
  return app;
}

/** Counts of everything an upload can leave behind. */
export async function storedCounts(): Promise<{ attachments: number; files: number; chunks: number }> {
  const db = mongoose.connection.db!;
  return {
    attachments: await db.collection('attachments').countDocuments({}),
    files: await db.collection('uploads.files').countDocuments({}),
    chunks: await db.collection('uploads.chunks').countDocuments({}),
  };
}

/** Asserts that nothing is stored, waiting briefly for clean-up that runs after the response. */
export async function expectNothingStored(withinMs = 3000): Promise<void> {
  const deadline = Date.now() + withinMs;
  let counts = await storedCounts();
  while ((counts.attachments || counts.files || counts.chunks) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    counts = await storedCounts();
  }
  expect(counts).to.deep.equal({ attachments: 0, files: 0, chunks: 0 });
}

/** Collects a binary response body as a Buffer. */
export function binary(res: Stream, callback: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => callback(null, Buffer.concat(chunks)));
}

export type Agent = ReturnType<typeof supertest.agent>;
