// Names of fields and communes for rows that carry only codes, looked up once per code and per
// export (the lists are short; rows are many).
import { getFields, getUnits } from '../reference/index.js';

export class ReferenceNames {
  private readonly fields = new Map<string, string>();
  private readonly units = new Map<string, string>();

  constructor(private readonly lang: 'vi' | 'en') {}

  /** Looks up the codes of a chunk of rows that are not known yet. */
  async learn(fieldCodes: readonly (string | null | undefined)[], unitCodes: readonly (string | null | undefined)[]): Promise<void> {
    const newFields = [...new Set(fieldCodes.filter((c): c is string => !!c && !this.fields.has(c)))];
    const newUnits = [...new Set(unitCodes.filter((c): c is string => !!c && !this.units.has(c)))];
    const [fields, units] = await Promise.all([getFields(newFields), getUnits(newUnits)]);
    for (const code of newFields) {
      const f = fields.get(code);
      this.fields.set(code, f ? (this.lang === 'en' && f.nameEn ? f.nameEn : f.name) : code);
    }
    for (const code of newUnits) this.units.set(code, units.get(code)?.name ?? code);
  }

  field(code: string | null | undefined): string {
    return code ? (this.fields.get(code) ?? code) : '';
  }

  unit(code: string | null | undefined): string {
    return code ? (this.units.get(code) ?? code) : '';
  }
}
