// The list of commonly used passwords: the common-password dictionary shipped with
// @zxcvbn-ts/language-common (about 49,000 entries, from public password breach corpora), plus
// passwords Vietnamese users often choose that an English-centred list misses.
import { dictionary } from '@zxcvbn-ts/language-common';

const VIETNAMESE_COMMON = [
  'matkhau', 'matkhau1', 'matkhau12', 'matkhau123', 'matkhau@123', 'matkhau1234', 'anhyeuem', 'anhyeuem1',
  'anhyeuem123', 'emyeuanh', 'emyeuanh123', 'yeuemnhieu', 'vietnam', 'vietnam1', 'vietnam123', 'vietnam@123',
  'hanoi123', 'saigon123', 'hochiminh', 'conyeume', 'iloveyou123', 'abc@123', 'admin@123', 'admin123',
  'qwerty@123', '123456a@', '123456aa', 'a123456789', '123456789a', 'dannguyen', 'dannguyen123',
  'dannguyen@123', 'hdndtinh', 'tiepcongdan', 'tiepdan123', 'donthu123',
];

let cached: Set<string> | null = null;

function commonSet(): Set<string> {
  if (!cached) {
    const fromLibrary = (dictionary as Record<string, string[] | undefined>)['passwords-common'] ?? [];
    if (fromLibrary.length < 10_000) {
      // The policy must not silently weaken if the package changes shape.
      throw new Error('common password dictionary missing from @zxcvbn-ts/language-common');
    }
    cached = new Set([...fromLibrary, ...VIETNAMESE_COMMON].map((p) => p.toLowerCase()));
  }
  return cached;
}

export function isCommonPassword(candidate: string): boolean {
  return commonSet().has(candidate.toLowerCase());
}
