// Search words: folded (no tone marks, đ → d, lower case) and split, so "Nguyễn Văn A" is found by
// "nguyen van a" and "Đường" by "duong". A query matches a record holding all of its words.
import { foldVietnamese } from '../platform/text.js';

export function searchWords(...texts: (string | null | undefined)[]): string[] {
  const words = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const word of foldVietnamese(text).split(/[^a-z0-9]+/)) if (word) words.add(word);
  }
  return [...words];
}

/** The words of a search box's text, at most ten (a longer query is not made slower). */
export function queryWords(query: string): string[] {
  return searchWords(query).slice(0, 10);
}
