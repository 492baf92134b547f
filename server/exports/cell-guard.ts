// Text typed by citizens and officers ends up in spreadsheets. A cell that begins like a formula
// (=, +, -, @, or a tab/carriage return that Excel strips before looking) would run when the CSV is
// opened (CSV/formula injection, OWASP). The guard prefixes such text with an apostrophe, which
// spreadsheets treat as "this is text". Full-width signs are included: some Excel locales fold them
// to their ASCII forms before parsing.

const FORMULA_START = /^[\s\u00a0]*[=+\-@\uff1d\uff0b\uff0d\uff20]|^[\t\r\n]/;

export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}
