// Data for the citizen's receipt. It carries the filer's identity, so for a denunciation only users who
// may see denouncers can print it, and printing counts as a view of the identity.
import mongoose from 'mongoose';
import { can, type Actor } from '../access/index.js';
import { getCaseDetail, recordIdentityViews } from '../cases/index.js';
import { getPerson } from '../people/index.js';
import type { Config } from '../platform/config.js';
import type { ServiceContext } from '../platform/context.js';
import { formatDateTime } from '../platform/dates.js';
import { ForbiddenError, NotFoundError } from '../platform/errors.js';
import { receptionsOfCase } from '../receptions/index.js';
import { unitName } from '../reference/index.js';
import type { ReceiptData } from './receipt.js';

export async function receiptFor(actor: Actor, caseId: string, config: Pick<Config, 'OFFICE_NAME' | 'OFFICE_PARENT_BODY' | 'OFFICE_PLACE'>, ctx: ServiceContext): Promise<ReceiptData> {
  const kase = await getCaseDetail(actor, caseId, ctx.clock.now());
  if (!kase) throw new NotFoundError('cases.errors.notFound');
  if (kase.confidential && !can(actor, 'view-denouncer-identity')) throw new ForbiddenError();
  const filer = kase.parties.find((p) => p.role === 'filer' && !p.hidden && p.personId);
  if (!filer?.personId) throw new NotFoundError('cases.errors.noFiler');
  const person = await getPerson(filer.personId);
  if (!person) throw new NotFoundError('cases.errors.noFiler');
  const commune = person.unitCode ? await unitName(person.unitCode) : null;
  const visits = await receptionsOfCase(actor, new mongoose.Types.ObjectId(kase.id));
  if (kase.confidential) await recordIdentityViews(actor, [kase.id], 'receipt', ctx);
  return {
    office: { parentBody: config.OFFICE_PARENT_BODY, name: config.OFFICE_NAME, place: config.OFFICE_PLACE },
    caseNumber: kase.number,
    issuedAt: ctx.clock.now(),
    receivedAt: formatDateTime(kase.receivedAt),
    citizen: { name: person.name, citizenId: person.citizenId ?? null, address: [person.street, commune].filter(Boolean).join(', ') || null },
    peopleCount: visits[0]?.peopleCount ?? 1,
    summary: kase.summary,
    dueDate: kase.handlingDeadline ? kase.handlingDeadline.dueDate.split('-').reverse().join('/') : null,
    officerName: actor.name,
  };
}
