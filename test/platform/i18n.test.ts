// Every string the UI shows exists in both languages, and every key a view or a server file asks for
// exists: a missing key would show the raw key to a user.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { createTranslator, LANGUAGES, readLocaleFiles } from '../../server/platform/i18n.js';
import { LOCALES_DIR, PROJECT_ROOT } from '../../server/platform/paths.js';

function flatten(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null ? flatten(value as Record<string, unknown>, `${prefix}${key}.`) : [`${prefix}${key}`],
  );
}

function filesUnder(dir: string, ext: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(full, ext);
    return entry.name.endsWith(ext) ? [full] : [];
  });
}

describe('translations', () => {
  const resources = readLocaleFiles(LOCALES_DIR);
  const keys = Object.fromEntries(LANGUAGES.map((l) => [l, new Set(flatten(resources[l]))]));

  it('has the same keys in Vietnamese and English', () => {
    const vi = [...keys.vi!];
    const en = [...keys.en!];
    expect(vi.filter((k) => !keys.en!.has(k)), 'missing in English').to.deep.equal([]);
    expect(en.filter((k) => !keys.vi!.has(k)), 'missing in Vietnamese').to.deep.equal([]);
  });

  it('has no empty strings', () => {
    for (const lang of LANGUAGES) {
      const empty = flatten(resources[lang]).filter((k) => {
        const value = k.split('.').reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], resources[lang]);
        return typeof value !== 'string' || value.trim() === '';
      });
      expect(empty, lang).to.deep.equal([]);
    }
  });

  it('defines every literal key used in views and server code', () => {
    const sources = [...filesUnder(path.join(PROJECT_ROOT, 'views'), '.njk'), ...filesUnder(path.join(PROJECT_ROOT, 'server'), '.ts')];
    const used = new Set<string>();
    for (const file of sources) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\('([a-zA-Z][\w-]*(?:\.[\w-]+)+)'/g)) used.add(m[1]!);
      // Message keys handed around as data: field errors, flash messages, navigation items.
      for (const m of text.matchAll(/['"]((?:[a-z]+\.)?(?:errors|password|flash)\.[\w-]+)['"]/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\bkey: '([a-z][\w-]*(?:\.[\w-]+)+)'/g)) used.add(m[1]!);
    }
    expect(used.size).to.be.greaterThan(20);
    const missing = [...used].filter((k) => !keys.vi!.has(k));
    expect(missing).to.deep.equal([]);
  });
});

describe('the translator', () => {
  const translator = createTranslator(LOCALES_DIR);
  type Translate = (key: string, values?: object) => string;
  /** The app's translation function and i18next's own, to compare. */
  const bothWays = (lang: (typeof LANGUAGES)[number]) => ({
    fast: translator.t(lang) as unknown as Translate,
    own: translator.instance.getFixedT(lang) as unknown as Translate,
  });

  it('gives the same string for a plain key every time, and still interpolates the same key when given values', () => {
    const vi = translator.t('vi');
    const plain = vi('agencies.count');
    expect(plain).to.equal('{{n}} cơ quan');
    expect(vi('agencies.count')).to.equal(plain);
    expect(vi('agencies.count', { n: 25 })).to.equal('25 cơ quan');
    expect(vi('agencies.count')).to.equal(plain);
  });

  it('fills every text of both languages as i18next itself does, given values or leaving one out', () => {
    const resources = readLocaleFiles(LOCALES_DIR);
    let compared = 0;
    for (const lang of LANGUAGES) {
      const { fast, own } = bothWays(lang);
      for (const key of flatten(resources[lang])) {
        // Plural variants are reached through their base key with a count.
        const base = key.replace(/_(zero|one|two|few|many|other)$/, '');
        const names = [...String(own(base)).matchAll(/\{\{\s*-?\s*([\w.]+)/g)].map((m) => m[1]!);
        const values = Object.fromEntries(names.map((name, i) => [name, i % 2 ? `giá trị ${i} <b>` : i * 7]));
        expect(fast(base, values), `${lang} ${base}`).to.equal(own(base, values));
        if (names.length > 0) {
          const partial = Object.fromEntries(names.slice(1).map((name) => [name, 'x']));
          expect(fast(base, partial), `${lang} ${base} without ${names[0]}`).to.equal(own(base, partial));
          expect(fast(base, { ...values, count: 2 }), `${lang} ${base} counted`).to.equal(own(base, { ...values, count: 2 }));
        }
        compared += 1;
      }
    }
    expect(compared).to.be.greaterThan(1000);
  });

  it('gives every text for a count alone as i18next does, the first time and when kept', () => {
    const resources = readLocaleFiles(LOCALES_DIR);
    let compared = 0;
    for (const lang of LANGUAGES) {
      const { fast, own } = bothWays(lang);
      // Texts counting something, and plural variants reached through their base key.
      const counting = new Set(flatten(resources[lang]).filter((k) => /_(one|other)$/.test(k) || String(own(k)).includes('{{count')).map((k) => k.replace(/_(one|other)$/, '')));
      for (const base of counting) {
        for (const count of [0, 1, 2, 21, 1000, 0, 1]) {
          expect(fast(base, { count }), `${lang} ${base} ${count}`).to.equal(own(base, { count }));
          compared += 1;
        }
      }
    }
    expect(translator.t('en')('forwarding.daysOverdue', { count: 1 })).to.not.equal(translator.t('en')('forwarding.daysOverdue', { count: 2 }));
    expect(compared).to.be.greaterThan(50);
  });

  it('keeps each language apart and shows a missing key as the key', () => {
    expect(translator.t('vi')('agencies.title')).to.equal('Cơ quan có thẩm quyền');
    expect(translator.t('en')('agencies.title')).to.equal('Competent agencies');
    expect(translator.t('vi')('agencies.no.such.key')).to.equal('agencies.no.such.key');
  });
});
