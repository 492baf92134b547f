// Nunjucks set up once: our views first, then govuk-frontend's component macros. Autoescape is on;
// nothing user-supplied is ever marked safe.
import path from 'node:path';
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import type { Express } from 'express';
import { formatDate, formatDateTime } from './dates.js';
import { selectField, textField } from './field-markup.js';

const require = createRequire(import.meta.url);

export function govukFrontendDist(): string {
  // package.json of govuk-frontend sits beside dist/
  return path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist');
}

/**
 * The `trim` filter, in one pass. nunjucks's own strips with /^\s*|\s*$/g, which retries the trailing
 * \s* from every whitespace run of the text, and GOV.UK's components trim whole rendered fragments: the
 * password page spent 1 ms a request in it (measured under load). String.prototype.trim removes the same
 * characters (\s is its set); text marked safe stays safe, as with the original.
 */
export function trimFilter(value: unknown): unknown {
  if (value instanceof nunjucks.runtime.SafeString) return new nunjucks.runtime.SafeString(value.val.trim());
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return ''; // null, undefined (nunjucks's own threw on them) and objects, which no template trims
}

export function configureViews(app: Express, viewsDir: string, options: { watch: boolean }): nunjucks.Environment {
  const env = nunjucks.configure([viewsDir, govukFrontendDist()], {
    autoescape: true,
    express: app,
    watch: false, // file watching needs chokidar; development restarts the process instead
    noCache: options.watch,
    throwOnUndefined: false,
  });
  env.addFilter('trim', trimFilter);
  env.addFilter('date', (value: Date | string | null | undefined) => formatDate(value));
  // Calendar dates stored as 'YYYY-MM-DD' (deadlines) read as dd/mm/yyyy.
  env.addFilter('isoDate', (value: string | null | undefined) => (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value.split('-').reverse().join('/') : ''));
  env.addFilter('datetime', (value: Date | string | null | undefined) => formatDateTime(value));
  env.addGlobal('selectField', selectField);
  env.addGlobal('textField', textField);
  app.set('view engine', 'njk');
  app.set('views', viewsDir);
  return env;
}
