// Demo forwardings, made the way the office makes them: drafted by an officer and approved by the leader
// on the day (a fixed clock per step), confirmed and answered by the agency through its own services (a
// generated PDF as the signed answer), and evaluated by the officer — so every state appears: waiting for
// approval, sent, overdue, confirmed, answered, chased, closed, under supervision.
import { Readable } from 'node:stream';
import { trusted } from 'mongoose';
import type { Actor } from '../../server/access/index.js';
import { listActiveAgencies, suggestCompetentAgencies } from '../../server/agencies/index.js';
import { storeUpload } from '../../server/attachments/index.js';
import { CaseModel, type Case } from '../../server/cases/index.js';
import {
  ForwardingLinkModel,
  approveForwarding,
  confirmReceipt,
  draftForwardings,
  evaluateForwarding,
  submitAnswer,
  ForwardingModel,
  type Forwarding,
} from '../../server/forwarding/index.js';
import { fixedClock, type Clock } from '../../server/platform/clock.js';
import { officialLetterLayout, renderPdf } from '../../server/platform/pdf/index.js';
import type { SeededRandom } from './random.js';

const DAY = 86_400_000;
const RESPONDERS = ['Nguyễn Văn Hùng', 'Trần Thị Mai', 'Lê Quang Vinh', 'Phạm Thị Hồng', 'Hoàng Minh Tuấn'];
const POSITIONS = ['Phó Giám đốc Sở', 'Chánh Thanh tra', 'Chủ tịch UBND', 'Trưởng phòng Tiếp công dân'];

/** 10:00 in Vietnam on the day `days` after `from` (weekends pushed to Monday). */
function officeTime(from: Date, days: number): Date {
  const at = new Date(from.getTime() + days * DAY);
  at.setUTCHours(3, 0, 0, 0);
  const weekday = at.getUTCDay();
  if (weekday === 6) return new Date(at.getTime() + 2 * DAY);
  if (weekday === 0) return new Date(at.getTime() + DAY);
  return at;
}

async function answerPdf(agency: string, number: string, date: Date, text: string): Promise<Buffer> {
  return renderPdf(
    officialLetterLayout({ issuer: agency, number, place: 'Quảng Trị', date, subject: 'Trả lời đơn do Văn phòng chuyển đến', recipients: ['Văn phòng Đoàn ĐBQH và HĐND tỉnh'], body: [text], signature: { position: 'Thủ trưởng cơ quan', name: 'Nguyễn Văn Hùng' } }),
  );
}

export interface DemoForwardingCounts {
  forwardings: number;
  awaitingApproval: number;
  answered: number;
  closed: number;
}

export async function seedDemoForwardings(input: { officer: Actor; leader: Actor; rng: SeededRandom; now: Date; count: number }): Promise<DemoForwardingCounts> {
  const { officer, leader, rng } = input;
  const counts: DemoForwardingCounts = { forwardings: 0, awaitingApproval: 0, answered: 0, closed: 0 };
  const cases = await CaseModel.find({ status: trusted({ $in: ['received', 'in-progress'] }), receivedAt: trusted({ $lt: new Date(input.now.getTime() - 5 * DAY) }) }, { _id: 1, fieldCode: 1, unitCode: 1, type: 1, receivedAt: 1 })
    .sort({ receivedAt: 1, _id: 1 })
    .lean<Pick<Case, '_id' | 'fieldCode' | 'unitCode' | 'type' | 'receivedAt'>[]>();
  const agencies = await listActiveAgencies();
  if (agencies.length === 0) return counts;
  const chosen = cases.filter(() => rng.chance(0.6)).slice(-input.count);
  for (const [index, kase] of chosen.entries()) {
    const draftedAt = officeTime(kase.receivedAt, rng.int(2, 8));
    if (draftedAt.getTime() > input.now.getTime()) continue;
    const suggested = await suggestCompetentAgencies(officer, { fieldCode: kase.fieldCode, unitCode: kase.unitCode });
    const agency = suggested[0]?.agency ?? rng.pick(agencies);
    const clock: Clock = fixedClock(draftedAt);
    const drafted = await draftForwardings(
      officer,
      {
        items: [{ kind: 'case', id: String(kase._id) }],
        agencyIds: [agency.id],
        grouping: 'per-matter',
        request: 'Đề nghị quý cơ quan xem xét, giải quyết theo thẩm quyền và thông báo kết quả cho Văn phòng.',
        internalNote: '',
        sharedAttachmentIds: [],
        ruleKey: 'agency-answer',
        submissionKey: `demo-forwarding-${index}-${String(kase._id)}`,
      },
      { clock },
    );
    counts.forwardings += 1;
    const id = drafted.ids[0]!;
    // The newest drafts wait for the leader.
    if (!drafted.sent && draftedAt.getTime() > input.now.getTime() - 12 * DAY) {
      counts.awaitingApproval += 1;
      continue;
    }
    if (!drafted.sent) await approveForwarding(leader, id, { note: '' }, { clock });
    const link = await ForwardingLinkModel.findOne({ forwardingId: id }).lean();
    const access = { forwardingId: id, linkId: String(link!._id) };
    const meta = (at: Date) => ({ at, ip: '203.0.113.10', userAgent: 'Mozilla/5.0 (demo)' });
    const confirmedAt = officeTime(draftedAt, rng.int(1, 4));
    if (confirmedAt.getTime() > input.now.getTime() || !rng.chance(0.8)) continue;
    await confirmReceipt(access, { confirmerName: 'Văn thư' }, meta(confirmedAt));
    const answeredAt = officeTime(draftedAt, rng.int(8, 30));
    if (answeredAt.getTime() > input.now.getTime() || !rng.chance(0.75)) continue;
    const forwarding = await ForwardingModel.findById(id).lean<Forwarding>();
    const number = `${rng.int(100, 999)}/${agency.shortName || 'CV'}`;
    const text = rng.pick([
      'Cơ quan đã kiểm tra, xác minh và giải quyết dứt điểm nội dung công dân phản ánh; kết quả đã thông báo cho công dân.',
      'Cơ quan đã thụ lý và đang xác minh; dự kiến có kết quả trong tháng tới.',
      'Nội dung đơn đã được giải quyết một phần; phần còn lại thuộc thẩm quyền của cấp huyện.',
    ]);
    const outcome = text.includes('đang xác minh') ? 'in-progress' : text.includes('một phần') ? 'partly-resolved' : 'resolved';
    const upload = await storeUpload({
      uploader: { kind: 'agency', id },
      originalName: `tra-loi-${number.replace(/\W+/g, '-')}.pdf`,
      content: Readable.from(await answerPdf(forwarding!.agencyName, number, answeredAt, text)),
      clock: fixedClock(answeredAt),
    });
    const date = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(answeredAt);
    await submitAnswer(
      access,
      {
        submissionKey: String(id).padEnd(32, '0').slice(0, 32),
        responderName: rng.pick(RESPONDERS),
        responderPosition: rng.pick(POSITIONS),
        documentNumber: number,
        documentDate: date,
        outcome,
        expectedDate: outcome === 'in-progress' ? (new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date(answeredAt.getTime() + 30 * DAY))) : null,
        competentAgency: null,
        text,
        matters: [],
      },
      [String(upload.id)],
      meta(answeredAt),
    );
    counts.answered += 1;
    const evaluatedAt = officeTime(answeredAt, rng.int(1, 5));
    if (evaluatedAt.getTime() > input.now.getTime() || !rng.chance(0.8)) continue;
    const satisfied = outcome === 'resolved' || rng.chance(0.4);
    const result = await evaluateForwarding(
      officer,
      id,
      satisfied
        ? { verdicts: [{ refId: String(kase._id), verdict: 'satisfied', reason: null }], nextStep: null }
        : { verdicts: [{ refId: String(kase._id), verdict: 'unsatisfied', reason: 'Trả lời chưa đầy đủ, chưa nêu thời hạn khắc phục.' }], nextStep: rng.chance(0.7) ? 'chase' : 'supervision' },
      { clock: fixedClock(evaluatedAt) },
    );
    if (result.status === 'closed') counts.closed += 1;
  }
  return counts;
}
