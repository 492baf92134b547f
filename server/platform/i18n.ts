// Translations: locales/<lang>/<file>.json, each file becoming the top-level key of its name
// (locales/vi/users.json → t('users.…')), so every module owns its own strings without merge fights.
// Vietnamese is the default; English is available. Accept-Language is deliberately not consulted:
// the office works in Vietnamese, and a browser set to English should not surprise a clerk.
import fs from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction, type i18n } from 'i18next';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'vi';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

type Tree = Record<string, unknown>;

export function readLocaleFiles(localesDir: string): Record<Language, Tree> {
  const resources = {} as Record<Language, Tree>;
  for (const lang of LANGUAGES) {
    const dir = path.join(localesDir, lang);
    const tree: Tree = {};
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      tree[path.basename(file, '.json')] = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Tree;
    }
    resources[lang] = tree;
  }
  return resources;
}

export interface Translator {
  instance: i18n;
  t(lang: Language): TFunction;
}

export function createTranslator(localesDir: string): Translator {
  const resources = readLocaleFiles(localesDir);
  const instance = i18next.createInstance();
  void instance.init({
    resources: Object.fromEntries(LANGUAGES.map((l) => [l, { translation: resources[l] }])),
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    interpolation: { escapeValue: false }, // nunjucks autoescapes on output
    returnNull: false,
  });
  // Calendar dates kept as 'YYYY-MM-DD' in stored data (timeline events) read as dd/mm/yyyy:
  // "hạn {{due, isoDate}}". Other text is shown as it is; a missing value as nothing.
  instance.services.formatter?.add('isoDate', (value: unknown) => {
    if (typeof value !== 'string') return typeof value === 'number' ? String(value) : '';
    return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value.split('-').reverse().join('/') : value;
  });
  const fixed = new Map<Language, TFunction>(LANGUAGES.map((l) => [l, memoisePlainKeys(instance.getFixedT(l))]));
  return {
    instance,
    t: (lang) => fixed.get(lang) ?? instance.getFixedT(DEFAULT_LANGUAGE),
  };
}

/** Options i18next reads from the values object: a call using any of them is left to i18next. */
const I18NEXT_OPTIONS = new Set(['count', 'context', 'lng', 'lngs', 'ns', 'defaultValue', 'returnObjects', 'returnDetails', 'joinArrays', 'postProcess', 'interpolation', 'skipInterpolation', 'replace', 'ordinal', 'fallbackLng', 'keyPrefix']);
const PLACEHOLDER = /\{\{(\w+)\}\}/g;

/** Values that are all strings, numbers or booleans, under names that are not i18next's options. */
function plainValues(values: unknown): values is Record<string, string | number | boolean> {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return false;
  for (const [name, value] of Object.entries(values)) {
    if (I18NEXT_OPTIONS.has(name)) return false;
    const type = typeof value;
    if (type !== 'string' && type !== 'number' && type !== 'boolean') return false;
  }
  return true;
}

/** How many (key, count) texts are kept before they are all forgotten. */
const COUNTED_KEPT = 10_000;

/** Values that are just an integer count. */
function isCountOnly(values: unknown): values is { count: number } {
  if (typeof values !== 'object' || values === null) return false;
  const keys = Object.keys(values);
  return keys.length === 1 && keys[0] === 'count' && Number.isSafeInteger((values as { count: unknown }).count);
}

/**
 * The same function, faster for the calls a page makes most:
 *  - plain keys (no values): the string is kept once looked up — a list page asks for the same labels
 *    hundreds of times (every option of every filter, every row's status);
 *  - a key whose text has only simple placeholders ("{{visits}} lượt tiếp, {{letters}} đơn"), given
 *    plain values: filled in here (i18next takes some 16 µs a call, and a list asks twice per row).
 *  - a count alone ("{{count}} ngày quá hạn" on each overdue row): i18next picks the plural form and
 *    the result is kept per key and count (a few thousand at most; forgotten all at once beyond that).
 * Everything else — plurals with other values, formatters ("{{due, isoDate}}"), nesting, a value missing
 * or not plain — goes to i18next. The resources never change after start, so a kept string is always current.
 */
function memoisePlainKeys(t: TFunction): TFunction {
  const call = t as unknown as (...a: unknown[]) => unknown;
  const cache = new Map<string, unknown>();
  const plain = (key: string): unknown => {
    let value = cache.get(key);
    if (value === undefined) {
      value = call(key);
      cache.set(key, value);
    }
    return value;
  };
  /** Per key: its text when every placeholder in it is a simple {{name}}, else null. */
  const simple = new Map<string, string | null>();
  const simpleText = (key: string): string | null => {
    let text = simple.get(key);
    if (text === undefined) {
      const raw = plain(key);
      text = typeof raw === 'string' && !raw.replace(PLACEHOLDER, '').includes('{{') && !raw.includes('$t(') ? raw : null;
      simple.set(key, text);
    }
    return text;
  };
  const counted = new Map<string, unknown>();
  const countOnly = (key: string, count: number): unknown => {
    const id = `${key}\u0000${count}`;
    let value = counted.get(id);
    if (value === undefined) {
      if (counted.size >= COUNTED_KEPT) counted.clear();
      value = call(key, { count });
      counted.set(id, value);
    }
    return value;
  };
  const memoised = (...args: unknown[]): unknown => {
    const key = args[0];
    if (typeof key !== 'string') return call(...args);
    if (args.length === 1) return plain(key);
    const values = args[1];
    if (args.length === 2 && isCountOnly(values)) return countOnly(key, values.count);
    if (args.length !== 2 || !plainValues(values)) return call(...args);
    const text = simpleText(key);
    if (text === null) return call(...args);
    let missing = false;
    const filled = text.replace(PLACEHOLDER, (_whole, name: string) => {
      const value = values[name];
      if (value === undefined) missing = true;
      return String(value);
    });
    return missing ? call(...args) : filled;
  };
  // TFunction's overloads (typed keys, options, returnObjects) cannot be restated on a plain function:
  // the copy of t's properties gives the wrapper its type, and every other call goes through unchanged.
  return Object.assign(memoised, t);
}
