// Demo letters: a couple of hundred letters over the past year through every channel, some anonymous,
// some about matters already received at the desk, most of them assessed — through the same services as
// the forms.
import crypto from 'node:crypto';
import type { Actor } from '../../server/access/index.js';
import type { Clock } from '../../server/platform/clock.js';
import { AppError } from '../../server/platform/errors.js';
import { LETTER_CHANNELS, assessLetter, assessmentSchema, letterIntakeSchema, logLetter } from '../../server/letters/index.js';
import { listActiveCommunes, listActiveFields } from '../../server/reference/index.js';
import type { SeededRandom } from './random.js';
import { MATTERS, STREETS, citizenId, vietnameseName } from './vietnamese.js';

const DAY = 86_400_000;

export async function seedDemoLetters(options: { officers: Actor[]; rng: SeededRandom; clock: Clock; letters: number }): Promise<number> {
  const { rng, clock } = options;
  const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
  const days = Array.from({ length: options.letters }, () => rng.int(2, 360)).sort((a, b) => b - a);
  let saved = 0;
  for (const ago of days) {
    const receivedAt = new Date(clock.now().getTime() - ago * DAY);
    const local = new Date(receivedAt.getTime() + 7 * 3_600_000);
    const date = `${String(local.getUTCDate()).padStart(2, '0')}/${String(local.getUTCMonth() + 1).padStart(2, '0')}/${local.getUTCFullYear()}`;
    const matter = rng.pick(MATTERS);
    const anonymous = matter.type === 'denunciation' && rng.chance(0.3);
    const person = vietnameseName(rng);
    const channel = rng.pick(LETTER_CHANNELS);
    const input = letterIntakeSchema.parse({
      submissionKey: crypto.randomBytes(16).toString('hex'),
      date,
      channel,
      forwardedBy: channel === 'forwarded-by-body' ? rng.pick(['Ban Dân nguyện', 'Thanh tra tỉnh', 'UBND tỉnh']) : '',
      anonymous: anonymous ? '1' : undefined,
      name: anonymous ? '' : person.name,
      citizenId: anonymous || rng.chance(0.4) ? '' : citizenId(rng, person.female),
      unitCode: rng.pick(communes).code,
      street: anonymous ? '' : rng.pick(STREETS),
      type: rng.chance(0.05) ? 'mixed' : matter.type,
      mainType: matter.type,
      fieldCode: rng.pick(fields).code,
      summary: matter.text,
      fullText: `${matter.text}. Kính đề nghị Đoàn ĐBQH và HĐND tỉnh xem xét, chuyển cơ quan có thẩm quyền giải quyết.`,
      caseChoice: 'new',
    });
    const officer = rng.pick(options.officers);
    const result = await logLetter(officer, input, { clock: { now: () => new Date(receivedAt.getTime() + 9 * 3_600_000) } });
    if (result.outcome !== 'saved') continue;
    saved++;
    if (ago < 10 || rng.chance(0.3)) continue; // recent letters still wait for their assessment
    const eligible = !(anonymous && rng.chance(0.7));
    const assessment = assessmentSchema.parse({
      eligible: eligible ? 'yes' : 'no',
      reasons: eligible ? undefined : 'anonymous-no-evidence',
      handling: eligible ? rng.pick(['forward', 'forward', 'propose-acceptance', 'return-with-guidance']) : 'file',
      note: '',
    });
    try {
      await assessLetter(officer, result.letterId, assessment, { clock });
    } catch (err) {
      // A combination the assessment rules refuse just leaves that letter unassessed.
      if (!(err instanceof AppError)) throw err;
    }
  }
  return saved;
}
