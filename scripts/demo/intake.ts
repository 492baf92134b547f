// Demo intake: several hundred visits over the past year, across communes, fields, types and statuses,
// with repeat visits joining earlier cases — logged through the same services as the forms.
import crypto from 'node:crypto';
import type { Actor } from '../../server/access/index.js';
import { changeCaseStatus, type CaseStatus } from '../../server/cases/index.js';
import type { Clock } from '../../server/platform/clock.js';
import { logWalkIn, RECEPTION_KINDS, walkInSchema } from '../../server/receptions/index.js';
import { listActiveCommunes, listActiveFields } from '../../server/reference/index.js';
import type { SeededRandom } from './random.js';
import { MATTERS, STREETS, citizenId, vietnameseName } from './vietnamese.js';

const DAY = 86_400_000;

function vietnamDateTime(at: Date): { date: string; time: string } {
  const local = new Date(at.getTime() + 7 * 3_600_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { date: `${pad(local.getUTCDate())}/${pad(local.getUTCMonth() + 1)}/${local.getUTCFullYear()}`, time: `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}` };
}

/** A working-hours instant on a weekday within the last `days` days. */
function pastWorkingInstant(rng: SeededRandom, now: Date, days: number): Date {
  for (;;) {
    const day = new Date(now.getTime() - rng.int(1, days) * DAY);
    const weekday = new Date(day.getTime() + 7 * 3_600_000).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const local = new Date(day.getTime() + 7 * 3_600_000);
    local.setUTCHours(rng.int(7, 16), rng.pick([0, 10, 15, 20, 30, 40, 45, 50]), 0, 0);
    return new Date(local.getTime() - 7 * 3_600_000);
  }
}

export async function seedDemoIntake(options: { officers: Actor[]; hosts: Actor[]; rng: SeededRandom; clock: Clock; visits: number }): Promise<{ visits: number; cases: number }> {
  const { rng, clock } = options;
  const [communes, fields] = await Promise.all([listActiveCommunes(), listActiveFields()]);
  const opened: { id: string; citizen: { name: string; citizenId: string | null; female: boolean }; unitCode: string; fieldCode: string; type: string; text: string }[] = [];
  const instants = Array.from({ length: options.visits }, () => pastWorkingInstant(rng, clock.now(), 365)).sort((a, b) => a.getTime() - b.getTime());
  for (const receivedAt of instants) {
    const officer = rng.pick(options.officers);
    const repeat = opened.length > 10 && rng.chance(0.3) ? rng.pick(opened) : null;
    const person = repeat?.citizen ?? (() => {
      const p = vietnameseName(rng);
      return { ...p, citizenId: rng.chance(0.8) ? citizenId(rng, p.female) : null };
    })();
    const matter = repeat ? { type: repeat.type, text: repeat.text } : rng.pick(MATTERS);
    const { date, time } = vietnamDateTime(receivedAt);
    const peopleCount = rng.chance(0.08) ? rng.int(5, 30) : rng.chance(0.2) ? 2 : 1;
    const unitCode = repeat?.unitCode ?? rng.pick(communes).code;
    const fieldCode = repeat?.fieldCode ?? rng.pick(fields).code;
    const scheduled = rng.chance(0.15) && options.hosts.length > 0;
    const input = walkInSchema.parse({
      submissionKey: crypto.randomBytes(16).toString('hex'),
      date,
      time,
      kind: scheduled ? 'scheduled' : rng.pick(RECEPTION_KINDS.filter((k) => k !== 'scheduled')),
      host: scheduled ? rng.pick(options.hosts).id : '',
      name: person.name,
      citizenId: person.citizenId ?? '',
      phone: rng.chance(0.7) ? `09${rng.int(10_000_000, 99_999_999)}` : '',
      unitCode,
      street: rng.pick(STREETS),
      peopleCount: String(peopleCount),
      extra1Name: peopleCount > 1 ? vietnameseName(rng).name : '',
      extra1Role: peopleCount >= 5 ? 'representative' : 'accompanying',
      caseChoice: repeat ? repeat.id : 'new',
      type: matter.type,
      fieldCode,
      content: repeat ? `${matter.text} (lần ${rng.int(2, 4)}, chưa được giải quyết dứt điểm)` : matter.text,
      outcome: rng.pick(['letter-accepted', 'letter-accepted', 'returned-with-guidance', 'resolved-on-spot', 'forwarded']),
    });
    const ctx = { clock: { now: () => new Date(receivedAt.getTime() + 20 * 60_000) } };
    const result = await logWalkIn(officer, input, ctx);
    if (result.outcome === 'saved' && result.newCase) {
      opened.push({ id: result.caseId, citizen: person, unitCode, fieldCode, type: matter.type, text: matter.text });
    }
  }
  // Move older cases along, so lists show every status.
  const moves: [CaseStatus, string | null][] = [
    ['in-progress', null],
    ['filed', null],
    ['returned', null],
    ['closed', 'Đã giải thích, công dân đồng ý'],
  ];
  for (const [i, kase] of opened.entries()) {
    if (i > opened.length * 0.8 || rng.chance(0.3)) continue;
    const [to, reason] = rng.pick(moves);
    await changeCaseStatus(rng.pick(options.officers), kase.id, { to, reason }, { clock });
  }
  return { visits: instants.length, cases: opened.length };
}
