// Forwardings prepared for the reminder tests the way the forwarding module stores a sent one: status,
// agency contacts, the case it carries, a deadline computed by the 'agency-answer' rule (15 working
// days) from a start chosen so that it falls due on a given date, and a live agency link.
import { expect } from 'chai';
import mongoose from 'mongoose';
import type { Actor } from '../../server/access/index.js';
import { addWorkingDays, loadWorkingCalendar } from '../../server/calendar/index.js';
import { computeRuleDeadline, extendStoredDeadline } from '../../server/deadlines/index.js';
import { ForwardingLinkModel, ForwardingModel, type Forwarding } from '../../server/forwarding/index.js';
import { vietnamInstant } from '../../server/reminders/reminders.rules.js';
import { createCase } from '../notifications/support.js';

export const AGENCY = {
  name: 'Sở Tài nguyên và Môi trường',
  to: 'vanthu@sotnmt.test.gov.vn',
  cc: 'phongtiepdan@sotnmt.test.gov.vn',
  head: 'giamdoc@sotnmt.test.gov.vn',
};

export const CONTACTS = [
  { email: AGENCY.to, name: 'Văn thư Sở', role: 'to' },
  { email: AGENCY.cc, name: 'Phòng Tiếp dân', role: 'cc' },
  { email: AGENCY.head, name: 'Giám đốc Sở', role: 'head' },
];

export interface PreparedForwarding {
  id: string;
  caseId: string;
  dueDate: string;
}

let documentSeq = 0;

/** A sent forwarding that falls due on `dueDate`, carrying a new case, with a live link (unless told otherwise). */
export async function prepareForwarding(
  officer: Actor,
  options: { dueDate: string; status?: Forwarding['status']; link?: 'live' | 'revoked'; caseId?: string },
): Promise<PreparedForwarding> {
  const year = Number(options.dueDate.slice(0, 4));
  const calendar = await loadWorkingCalendar(year - 1, year + 1);
  const startDate = addWorkingDays(options.dueDate, -15, calendar);
  const startAt = vietnamInstant(startDate, 10 * 60);
  const deadline = await computeRuleDeadline('agency-answer', { startAt });
  expect(deadline.dueDate, 'the prepared deadline').to.equal(options.dueDate);
  const caseId = options.caseId ?? (await createCase(officer, { now: () => startAt })).id;
  documentSeq += 1;
  const status = options.status ?? 'sent';
  const [doc] = await ForwardingModel.create([
    {
      status,
      agencyId: new mongoose.Types.ObjectId(),
      agencyName: AGENCY.name,
      contacts: CONTACTS,
      items: [{ kind: 'case', refId: caseId, label: `2027/${String(documentSeq).padStart(6, '0')}`, summary: 'Kiến nghị sửa chữa đường liên thôn bị sạt lở', caseId: new mongoose.Types.ObjectId(caseId) }],
      caseIds: [new mongoose.Types.ObjectId(caseId)],
      request: 'Đề nghị Sở xem xét, giải quyết theo thẩm quyền.',
      ruleKey: 'agency-answer',
      deadline,
      documentNumber: `${documentSeq}/PC-VP`,
      documentSeq,
      documentDate: startAt,
      draftedBy: { id: officer.id, name: officer.name },
      sentAt: startAt,
      ...(status === 'answered' ? { firstAnsweredAt: startAt, lastAnsweredAt: startAt, answerCount: 1 } : {}),
      ...(status === 'closed' ? { closedAt: startAt, closure: 'satisfied' } : {}),
    },
  ]);
  const id = doc!._id;
  await ForwardingLinkModel.create({
    forwardingId: id,
    createdAt: startAt,
    createdBy: officer.id,
    expiresAt: new Date(deadline.dueAt.getTime() + 60 * 86_400_000),
    ...(options.link === 'revoked' ? { revokedAt: startAt, revokedBy: officer.id, revokedReason: 'test' } : {}),
  });
  return { id: String(id), caseId, dueDate: options.dueDate };
}

/** Extends a prepared forwarding's deadline as the office does when it grants more time. */
export async function extendForwarding(id: string, days: number): Promise<string> {
  const forwarding = await ForwardingModel.findById(id).lean<Forwarding>();
  const change = await extendStoredDeadline(forwarding!.deadline!, { days, reason: 'Cơ quan đề nghị gia hạn', document: 'Công văn 12/STNMT' });
  await ForwardingModel.updateOne({ _id: forwarding!._id }, { $set: { deadline: change.next }, $push: { deadlineHistory: change.history } });
  return change.next.dueDate;
}
