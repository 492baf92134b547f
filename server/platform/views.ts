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

export function configureViews(app: Express, viewsDir: string, options: { watch: boolean }): nunjucks.Environment {
  const env = nunjucks.configure([viewsDir, govukFrontendDist()], {
    autoescape: true,
    express: app,
    watch: false, // file watching needs chokidar; development restarts the process instead
    noCache: options.watch,
    throwOnUndefined: false,
  });
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
