// Citizen identity numbers (CCCD, 12 digits; Thông tư 59/2021/TT-BCA, earlier 07/2016/TT-BCA): three
// digits for the province where the birth was registered, one digit for sex and century, two for the
// year of birth, six random. We check the structure so a mistyped number is caught at the desk; we
// cannot check that the number was really issued.

/** Province codes of the 63 provinces before the 2025 mergers (numbers already issued keep them). */
const PROVINCE_CODES = new Set([
  '001', '002', '004', '006', '008', '010', '011', '012', '014', '015', '017', '019', '020', '022', '024', '025',
  '026', '027', '030', '031', '033', '034', '035', '036', '037', '038', '040', '042', '044', '045', '046', '048',
  '049', '051', '052', '054', '056', '058', '060', '062', '064', '066', '067', '068', '070', '072', '074', '075',
  '077', '079', '080', '082', '083', '084', '086', '087', '089', '091', '092', '093', '094', '095', '096',
]);

export type CitizenIdProblem = 'format' | 'province' | 'birth-year';

/** Digits only: officers type "001 090 012 345" or with dots; we keep the 12 digits. */
export function normaliseCitizenId(input: string): string {
  return input.replace(/[\s.-]/g, '');
}

/**
 * Checks a citizen ID number's structure. The sex/century digit: 0–1 born 1900–1999, 2–3 born
 * 2000–2099, 4–5 born 2100–2199 (and so on), so the birth year must not be in the future.
 */
export function citizenIdProblem(id: string, currentYear: number): CitizenIdProblem | null {
  if (!/^\d{12}$/.test(id)) return 'format';
  if (!PROVINCE_CODES.has(id.slice(0, 3))) return 'province';
  const centuryDigit = Number(id[3]);
  const century = 1900 + Math.floor(centuryDigit / 2) * 100;
  if (century > 2100) return 'birth-year';
  const birthYear = century + Number(id.slice(4, 6));
  if (birthYear > currentYear) return 'birth-year';
  return null;
}
