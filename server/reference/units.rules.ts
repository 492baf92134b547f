// What makes an administrative unit consistent, as pure functions shared by the admin form, the JSON
// import and the seed. Since 1/7/2025 local government has two tiers, province → commune (Luật Tổ chức
// chính quyền địa phương 2025): districts and their kinds (huyện, thị xã, thành phố thuộc tỉnh, thị
// trấn) exist only as former units, kept so that old records still resolve.

export const UNIT_KINDS = ['tinh', 'thanh-pho-tw', 'phuong', 'xa', 'dac-khu', 'huyen', 'thi-xa', 'thanh-pho', 'thi-tran'] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UNIT_LEVELS = ['province', 'commune', 'district-legacy'] as const;
export type UnitLevel = (typeof UNIT_LEVELS)[number];

/** The first day of the two-tier system; former units end on the day before at the latest. */
export const REFORM_DATE = '2025-07-01';
export const LAST_DAY_BEFORE_REFORM = '2025-06-30';

export const KINDS_BY_LEVEL: Readonly<Record<UnitLevel, readonly UnitKind[]>> = {
  province: ['tinh', 'thanh-pho-tw'],
  commune: ['phuong', 'xa', 'dac-khu', 'thi-tran'],
  'district-legacy': ['huyen', 'thi-xa', 'thanh-pho'],
};

/** Kinds that no longer exist after the reform. */
const FORMER_KINDS: readonly UnitKind[] = ['huyen', 'thi-xa', 'thanh-pho', 'thi-tran'];

export interface UnitData {
  code: string;
  name: string;
  kind: UnitKind;
  level: UnitLevel;
  parentCode: string | null;
  /** 'YYYY-MM-DD' or null (since before any record). */
  validFrom: string | null;
  /** 'YYYY-MM-DD' or null (still in force). */
  validTo: string | null;
  replacedBy: string[];
}

/** What the checks need to know about other units. */
export type UnitLookup = (code: string) => Pick<UnitData, 'level' | 'validTo'> | undefined;

export type UnitProblems = Partial<Record<keyof UnitData, string>>;

/** Field → message key for every inconsistency of `unit` with the rules and with the units it names. */
export function unitProblems(unit: UnitData, lookup: UnitLookup): UnitProblems {
  const problems: UnitProblems = {};
  if (!KINDS_BY_LEVEL[unit.level].includes(unit.kind)) problems.kind = 'reference.errors.kindLevel';

  if (unit.validFrom && unit.validTo && unit.validFrom > unit.validTo) problems.validTo = 'reference.errors.validRange';
  else if ((unit.level === 'district-legacy' || FORMER_KINDS.includes(unit.kind)) && (!unit.validTo || unit.validTo > LAST_DAY_BEFORE_REFORM)) {
    problems.validTo = 'reference.errors.formerUnitEnds';
  }

  if (unit.level === 'province') {
    if (unit.parentCode) problems.parentCode = 'reference.errors.provinceHasNoParent';
  } else if (!unit.parentCode) {
    problems.parentCode = 'reference.errors.parentRequired';
  } else if (unit.parentCode === unit.code) {
    problems.parentCode = 'reference.errors.parentSelf';
  } else {
    const parent = lookup(unit.parentCode);
    if (!parent) problems.parentCode = 'reference.errors.parentUnknown';
    else if (unit.level === 'district-legacy' && parent.level !== 'province') problems.parentCode = 'reference.errors.parentLevel';
    else if (unit.level === 'commune' && parent.level === 'commune') problems.parentCode = 'reference.errors.parentLevel';
    // A unit in force today hangs directly under a province: there are no districts any more.
    else if (unit.level === 'commune' && !unit.validTo && parent.level === 'district-legacy') problems.parentCode = 'reference.errors.currentUnderDistrict';
  }

  if (unit.replacedBy.includes(unit.code)) problems.replacedBy = 'reference.errors.replacedBySelf';
  else if (unit.replacedBy.some((code) => !lookup(code))) problems.replacedBy = 'reference.errors.replacedByUnknown';
  else if (unit.replacedBy.length > 0 && !unit.validTo) problems.replacedBy = 'reference.errors.replacedButCurrent';
  return problems;
}

/** In force on `date` ('YYYY-MM-DD'). */
export function isUnitInForce(unit: Pick<UnitData, 'validFrom' | 'validTo'>, date: string): boolean {
  return (!unit.validFrom || unit.validFrom <= date) && (!unit.validTo || unit.validTo >= date);
}

/** Splits "a, b c;d" into distinct codes. */
export function parseCodeList(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).map((c) => c.trim().toLowerCase()).filter(Boolean))];
}
