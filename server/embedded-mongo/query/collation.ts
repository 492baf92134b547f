// Collation support, approximated: mingo ignores collation when matching, so for strength 1 and 2
// we match on "folded" copies of the filter and the documents (strength 2: case-insensitive;
// strength 1: also accent-insensitive), and sort strings with Intl.Collator. ICU's per-language
// tailoring (e.g. Vietnamese đ) is not reproduced beyond what Intl.Collator does for sorting.

import { isPlainObject } from '../bson-order.js';
import type { Doc } from '../storage/types.js';

export interface CollationSpec {
  locale: string;
  strength?: number;
  caseLevel?: boolean;
  numericOrdering?: boolean;
  caseFirst?: string;
}

export function activeCollation(collation: Doc | null | undefined): CollationSpec | null {
  if (!collation || typeof collation.locale !== 'string' || collation.locale === 'simple') return null;
  return collation as unknown as CollationSpec;
}

/** A string transform that makes equal-under-collation strings identical, or null if none is needed. */
export function folder(c: CollationSpec | null): ((s: string) => string) | null {
  if (!c) return null;
  const strength = c.strength ?? 3;
  if (strength >= 3 || c.caseLevel) return null;
  if (strength === 2) return (s) => s.toLocaleLowerCase(c.locale);
  return (s) => s.normalize('NFD').replace(/\p{M}/gu, '').toLocaleLowerCase(c.locale);
}

/** Deep copy with every string value folded (keys untouched; regexes left as they are). */
export function foldValues(v: unknown, fold: (s: string) => string): unknown {
  if (typeof v === 'string') return fold(v);
  if (Array.isArray(v)) return v.map((x) => foldValues(x, fold));
  if (isPlainObject(v)) {
    const out: Doc = {};
    for (const [k, x] of Object.entries(v)) out[k] = foldValues(x, fold);
    return out;
  }
  return v;
}

export function stringComparator(c: CollationSpec | null): ((a: string, b: string) => number) | null {
  if (!c) return null;
  const strength = c.strength ?? 3;
  const sensitivity = strength === 1 ? 'base' : strength === 2 ? 'accent' : 'variant';
  const caseFirst = c.caseFirst === 'upper' || c.caseFirst === 'lower' ? c.caseFirst : 'false';
  const collator = new Intl.Collator(c.locale, { sensitivity, numeric: c.numericOrdering === true, caseFirst });
  return (a, b) => collator.compare(a, b);
}
