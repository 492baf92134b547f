// Pure rules of forwarding: overdue, what an agency may do, link validity, evaluation outcome, the
// token's shape and hash, the redaction of denouncers, and how a case's status follows its forwardings.
import crypto from 'node:crypto';
import { expect } from 'chai';
import fc from 'fast-check';
import { caseStatusFromForwardings } from '../../server/forwarding/case-provider.js';
import {
  agencyMay,
  daysOverdue,
  formatDocumentNumber,
  hashLinkToken,
  isOverdue,
  linkExpiry,
  linkRefusal,
  looksLikeLinkToken,
  newLinkToken,
  statusAfterEvaluation,
  type ForwardingStatus,
} from '../../server/forwarding/forwarding.rules.js';
import { REDACTED, redactFound, redactIdentities } from '../../server/cases/redaction.rules.js';

const due = new Date('2027-03-23T16:59:59.999Z'); // end of 23/03/2027 in Vietnam
const after = (ms: number) => new Date(due.getTime() + ms);
const DAY = 86_400_000;

describe('forwarding rules', () => {
  describe('isOverdue / daysOverdue', () => {
    const table: [ForwardingStatus, Date, boolean, number][] = [
      ['sent', after(-1), false, 0],
      ['sent', after(1), true, 1],
      ['acknowledged', after(3 * DAY), true, 3],
      ['evaluated', after(2 * DAY + 1), true, 3],
      ['answered', after(10 * DAY), false, 0], // the agency answered: the office owes the next step
      ['closed', after(10 * DAY), false, 0],
      ['awaiting-approval', after(10 * DAY), false, 0],
    ];
    for (const [status, now, overdue, days] of table) {
      it(`${status} at ${now.toISOString()} → overdue ${String(overdue)}, ${days} day(s)`, () => {
        expect(isOverdue({ status, deadline: { dueAt: due } }, now)).to.equal(overdue);
        expect(daysOverdue({ status, deadline: { dueAt: due } }, now)).to.equal(days);
      });
    }
    it('a forwarding without a deadline is never overdue', () => {
      expect(isOverdue({ status: 'sent', deadline: null }, after(100 * DAY))).to.equal(false);
    });
  });

  describe('agencyMay', () => {
    const table: [ForwardingStatus, 'confirm' | 'extension' | 'answer', boolean, boolean][] = [
      ['sent', 'confirm', false, true],
      ['acknowledged', 'confirm', true, false],
      ['sent', 'answer', false, true],
      ['answered', 'answer', true, true], // adds to its answer
      ['evaluated', 'extension', true, true],
      ['closed', 'answer', true, false],
      ['closed', 'confirm', false, false],
      ['awaiting-approval', 'confirm', false, false],
      ['cancelled', 'answer', false, false],
    ];
    for (const [status, action, acknowledged, may] of table) {
      it(`${status}, ${action}, acknowledged=${String(acknowledged)} → ${String(may)}`, () => {
        expect(agencyMay(status, action, acknowledged)).to.equal(may);
      });
    }
  });

  describe('linkRefusal', () => {
    const now = new Date('2027-04-01T00:00:00Z');
    const live = { revokedAt: null, expiresAt: new Date('2027-05-01T00:00:00Z') };
    it('a live link of a forwarding with the agency may be used', () => {
      expect(linkRefusal(live, { status: 'sent' }, now)).to.equal(null);
      expect(linkRefusal(live, { status: 'answered' }, now)).to.equal(null);
    });
    it('refuses unknown, revoked, expired and closed, in that order of precedence', () => {
      expect(linkRefusal(null, null, now)).to.equal('unknown');
      expect(linkRefusal({ ...live, revokedAt: now }, { status: 'closed' }, now)).to.equal('revoked');
      expect(linkRefusal({ revokedAt: null, expiresAt: now }, { status: 'sent' }, now)).to.equal('expired');
      expect(linkRefusal(live, { status: 'closed' }, now)).to.equal('closed');
      expect(linkRefusal(live, { status: 'cancelled' }, now)).to.equal('closed');
    });
  });

  it('a link expires the given number of days after the deadline, or after sending without one', () => {
    const sentAt = new Date('2027-03-02T03:00:00Z');
    expect(linkExpiry(due, sentAt, 60).toISOString()).to.equal(new Date(due.getTime() + 60 * DAY).toISOString());
    expect(linkExpiry(null, sentAt, 60).toISOString()).to.equal(new Date(sentAt.getTime() + 60 * DAY).toISOString());
  });

  it('tokens are 256 random bits in base64url, and only their SHA-256 is looked up', () => {
    const a = newLinkToken();
    const b = newLinkToken();
    expect(a).to.have.length(43).and.not.equal(b);
    expect(Buffer.from(a, 'base64url')).to.have.length(32);
    expect(looksLikeLinkToken(a)).to.equal(true);
    expect(hashLinkToken(a)).to.equal(crypto.createHash('sha256').update(a).digest('hex'));
    for (const bad of ['', 'short', `${a}x`, `${a.slice(0, 42)}!`, 42, null]) expect(looksLikeLinkToken(bad)).to.equal(false);
  });

  describe('statusAfterEvaluation', () => {
    const table: [(null | 'satisfied' | 'unsatisfied')[], string][] = [
      [['satisfied'], 'closed'],
      [['satisfied', 'satisfied'], 'closed'],
      [['unsatisfied'], 'evaluated'],
      [['satisfied', 'unsatisfied'], 'evaluated'],
      [['satisfied', null], 'answered'],
    ];
    for (const [verdicts, status] of table) {
      it(`${JSON.stringify(verdicts)} → ${status}`, () => {
        expect(statusAfterEvaluation(verdicts.map((verdict) => ({ verdict })))).to.equal(status);
      });
    }
  });

  it('document numbers read "<seq>/<suffix>"', () => {
    expect(formatDocumentNumber(125, 'PC-VP')).to.equal('125/PC-VP');
  });

  describe('caseStatusFromForwardings', () => {
    const f = (status: ForwardingStatus, closure: string | null = null, closedAt: Date | null = null) => ({ status, closure, closedAt });
    type Row = ReturnType<typeof f>;
    const table: [string, Row[], string | null][] = [
      ['no forwarding sent', [f('awaiting-approval'), f('cancelled', 'cancelled', new Date(1))], null],
      ['one sent', [f('sent')], 'forwarded'],
      ['one answered, one still with its agency', [f('answered'), f('sent')], 'answered'],
      ['one chased after evaluation', [f('evaluated')], 'forwarded'],
      ['all closed satisfied', [f('closed', 'satisfied', new Date(1)), f('closed', 'satisfied', new Date(2))], 'closed'],
      ['one closed, one still open', [f('closed', 'satisfied', new Date(1)), f('acknowledged')], 'forwarded'],
      ['the latest closed to supervision', [f('closed', 'satisfied', new Date(1)), f('closed', 'supervision', new Date(2))], 'supervising'],
      ['closed to be forwarded again: wait for the new draft', [f('closed', 'reforwarded', new Date(2))], null],
    ];
    for (const [name, forwardings, status] of table) {
      it(`${name} → ${String(status)}`, () => {
        expect(caseStatusFromForwardings(forwardings)).to.equal(status);
      });
    }
  });

  describe('redactIdentities', () => {
    const table: [string, string[], string][] = [
      ['Ông Nguyễn Văn An tố cáo chủ tịch xã', ['Nguyễn Văn An'], `Ông ${REDACTED} tố cáo chủ tịch xã`],
      ['NGUYEN VAN AN, CCCD 038090001234, tố cáo', ['Nguyễn Văn An', '038090001234'], `${REDACTED}, CCCD ${REDACTED}, tố cáo`],
      ['nguyễn  văn   an đến trình bày', ['Nguyễn Văn An'], `${REDACTED} đến trình bày`],
      ['Nguyễn Văn Anh không liên quan', ['Nguyễn Văn An'], 'Nguyễn Văn Anh không liên quan'],
      ['Không nêu tên người tố cáo', ['Nguyễn Văn An'], 'Không nêu tên người tố cáo'],
      ['Đặng Thị Đào và Đặng Thị Đào', ['Đặng Thị Đào'], `${REDACTED} và ${REDACTED}`],
      ['Text unchanged without identities', [], 'Text unchanged without identities'],
    ];
    for (const [text, identities, expected] of table) {
      it(`${JSON.stringify(text)} → ${JSON.stringify(expected)}`, () => {
        expect(redactIdentities(text, identities)).to.equal(expected);
      });
    }

    it('gives what the full search gives for any text: the quick test only skips texts it would leave alone', () => {
      const pieces = fc.constantFrom('Nguyễn', 'NGUYEN', 'nguyen', 'Văn', 'van', 'VĂN', 'An', 'an', 'Anh', 'Đào', 'dao', '038090001234', '0380', ' ', '  ', '\n', ',', '(', ')', 'tố cáo', 'e\u0301', '\u200b', 'x');
      const names = fc.constantFrom('Nguyễn Văn An', 'Đào', '038090001234', ' An ', 'x', '', null);
      fc.assert(
        fc.property(fc.array(pieces, { maxLength: 14 }), fc.array(names, { maxLength: 3 }), (parts, identities) => {
          const text = parts.join('');
          const wanted = identities.map((s) => (s ?? '').trim()).filter((s) => s.length >= 2);
          expect(redactIdentities(text, identities)).to.equal(wanted.length ? redactFound(text, wanted) : text);
        }),
        { numRuns: 2000 },
      );
    });
  });
});
