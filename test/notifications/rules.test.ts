// Pure rules of the outbox and the sending window, as tables.
import { expect } from 'chai';
import type { WorkingCalendar } from '../../server/calendar/index.js';
import { classifySendError, emailKey, messageIdFor, retryDelay, type RetryPolicy } from '../../server/notifications/outbox.rules.js';
import { isWithinWindow, nextWindowStart, parseSendingWindow } from '../../server/notifications/sending-window.rules.js';
import { ConfigError, loadConfig } from '../../server/platform/config.js';

describe('outbox rules', () => {
  describe('retry back-off', () => {
    const policy: RetryPolicy = { maxAttempts: 6, baseMs: 60_000, maxMs: 600_000 };
    const table: [number, number | null][] = [
      [1, 60_000],
      [2, 120_000],
      [3, 240_000],
      [4, 480_000],
      [5, 600_000], // 960 000 capped
      [6, null], // the sixth attempt was the last
      [7, null],
    ];
    for (const [attempts, expected] of table) {
      it(`after ${attempts} failed attempt(s) waits ${expected === null ? 'no more (gives up)' : `${expected / 1000} s`}`, () => {
        expect(retryDelay(attempts, policy)).to.equal(expected);
      });
    }
    it('gives up at once when one attempt is all there is', () => {
      expect(retryDelay(1, { ...policy, maxAttempts: 1 })).to.equal(null);
    });
    it('stays exact and capped after very many attempts', () => {
      expect(retryDelay(200, { maxAttempts: 1000, baseMs: 1000, maxMs: 3_600_000 })).to.equal(3_600_000);
    });
    it('refuses nonsense', () => {
      expect(() => retryDelay(0, policy)).to.throw(RangeError);
      expect(() => retryDelay(1.5, policy)).to.throw(RangeError);
    });
  });

  describe('which failures are worth another try', () => {
    const table: [string, { code?: string; responseCode?: number }, 'temporary' | 'permanent'][] = [
      ['451 local error', { code: 'EMESSAGE', responseCode: 451 }, 'temporary'],
      ['421 service not available', { code: 'EPROTOCOL', responseCode: 421 }, 'temporary'],
      ['452 mailbox full', { code: 'EENVELOPE', responseCode: 452 }, 'temporary'],
      ['550 no such mailbox', { code: 'EENVELOPE', responseCode: 550 }, 'permanent'],
      ['554 transaction failed', { code: 'EMESSAGE', responseCode: 554 }, 'permanent'],
      ['503 bad sequence (a session problem)', { code: 'EPROTOCOL', responseCode: 503 }, 'temporary'],
      ['535 credentials refused (office settings)', { code: 'EAUTH', responseCode: 535 }, 'temporary'],
      ['connection refused', { code: 'ECONNECTION' }, 'temporary'],
      ['timeout', { code: 'ETIMEDOUT' }, 'temporary'],
      ['DNS failure', { code: 'EDNS' }, 'temporary'],
      ['TLS failure', { code: 'ETLS' }, 'temporary'],
      ['invalid envelope without a reply', { code: 'EENVELOPE' }, 'permanent'],
      ['attachment missing', { code: 'ATTACHMENT' }, 'permanent'],
      ['unknown error', {}, 'temporary'],
    ];
    for (const [name, err, expected] of table) {
      it(`${name} → ${expected}`, () => expect(classifySendError(err)).to.equal(expected));
    }
  });

  describe('idempotency keys', () => {
    it('joins the parts that make an email the same email', () => {
      expect(emailKey('reminder', '0123456789abcdef01234567', 'due', '2026-05-20')).to.equal('reminder:0123456789abcdef01234567:due:2026-05-20');
      expect(emailKey('forwarding', 7, 'sent')).to.equal('forwarding:7:sent');
    });
    it('gives an extended deadline a new key and an unchanged one the same key', () => {
      expect(emailKey('reminder', 'f1', 'due', '2026-05-20')).to.not.equal(emailKey('reminder', 'f1', 'due', '2026-06-05'));
      expect(emailKey('reminder', 'f1', 'due', '2026-05-20')).to.equal(emailKey('reminder', 'f1', 'due', '2026-05-20'));
    });
    it('refuses parts that would blur the key', () => {
      for (const bad of [[], [''], ['a:b'], ['two words'], ['x'.repeat(81)]]) expect(() => emailKey(...bad)).to.throw(/emailKey/);
    });
  });

  describe('Message-ID', () => {
    it('uses the sender domain of MAIL_FROM', () => {
      expect(messageIdFor('abc', 'Văn phòng <vanphong@quangtri.gov.vn>', 'http://localhost:3000')).to.equal('<abc@quangtri.gov.vn>');
      expect(messageIdFor('abc', 'no-reply@Example.GOV.vn', 'http://localhost:3000')).to.equal('<abc@example.gov.vn>');
    });
    it('falls back to the site host when MAIL_FROM has no usable domain', () => {
      expect(messageIdFor('abc', 'Dân Nguyện', 'https://dannguyen.quangtri.gov.vn/app')).to.equal('<abc@dannguyen.quangtri.gov.vn>');
    });
  });
});

describe('sending window', () => {
  // Fixture calendar: 30/04 and 01/05/2026 are holidays (Thursday, Friday); Saturday 09/05/2026 is a
  // decreed make-up working day.
  const calendar: WorkingCalendar = { nonWorking: new Set(['2026-04-30', '2026-05-01']), makeupWorkdays: new Set(['2026-05-09']) };
  const office = parseSendingWindow('Mon-Fri 07:30-17:00');
  // Vietnam is UTC+7 all year: 07:30 there is 00:30Z.
  const vn = (local: string) => new Date(`${local}+07:00`);

  const table: [string, string, string | null][] = [
    // [case, now (Vietnam time), next start (Vietnam time), or the same instant when open]
    ['Tuesday mid-morning: open', '2026-05-05T10:00:00', '2026-05-05T10:00:00'],
    ['Tuesday 07:30 exactly: open', '2026-05-05T07:30:00', '2026-05-05T07:30:00'],
    ['Tuesday 16:59:59: open', '2026-05-05T16:59:59', '2026-05-05T16:59:59'],
    ['Tuesday 17:00 exactly: closed until Wednesday 07:30', '2026-05-05T17:00:00', '2026-05-06T07:30:00'],
    ['Tuesday 06:00: later the same day', '2026-05-05T06:00:00', '2026-05-05T07:30:00'],
    ['Friday evening: over the weekend to Monday', '2026-05-15T18:00:00', '2026-05-18T07:30:00'],
    ['Saturday: Monday', '2026-05-16T10:00:00', '2026-05-18T07:30:00'],
    ['Sunday 23:59: Monday', '2026-05-17T23:59:00', '2026-05-18T07:30:00'],
    ['Wednesday evening before the holidays: past Thursday, Friday and the weekend', '2026-04-29T17:30:00', '2026-05-04T07:30:00'],
    ['on the holiday itself, in office hours: closed', '2026-04-30T09:00:00', '2026-05-04T07:30:00'],
    ['the make-up Saturday is a sending day', '2026-05-09T08:00:00', '2026-05-09T08:00:00'],
    ['Friday evening before the make-up Saturday', '2026-05-08T17:00:00', '2026-05-09T07:30:00'],
  ];
  for (const [name, now, next] of table) {
    it(name, () => {
      const at = vn(now);
      const expected = next === null ? null : vn(next);
      expect(nextWindowStart(at, office, calendar)?.toISOString() ?? null).to.equal(expected?.toISOString() ?? null);
      expect(isWithinWindow(at, office, calendar)).to.equal(now === next);
    });
  }

  it('"always" is open on holidays and at night', () => {
    const always = parseSendingWindow('always');
    expect(isWithinWindow(vn('2026-04-30T02:00:00'), always, calendar)).to.equal(true);
  });

  it('says when a window never opens', () => {
    const allHolidays: WorkingCalendar = { nonWorking: new Set(), makeupWorkdays: new Set() };
    const sundays = parseSendingWindow('Sun 08:00-09:00');
    expect(nextWindowStart(vn('2026-05-05T10:00:00'), sundays, allHolidays)?.toISOString()).to.equal(vn('2026-05-10T08:00:00').toISOString());
    const everySunday = new Set<string>();
    for (let d = new Date(Date.UTC(2026, 4, 10)); d.getUTCFullYear() < 2028; d = new Date(d.getTime() + 7 * 86_400_000)) everySunday.add(d.toISOString().slice(0, 10));
    expect(nextWindowStart(vn('2026-05-05T10:00:00'), sundays, { nonWorking: everySunday, makeupWorkdays: new Set() })).to.equal(null);
  });

  describe('the MAIL_WINDOW setting', () => {
    const accepted = ['always', 'Always', 'Mon-Fri 07:30-17:00', 'mon,wed,fri 08:00-11:30', 'Mon-Fri,Sat 07:00-11:00', 'Sat-Mon 00:00-24:00', 'Sun 08:00-09:00'];
    const refused = ['weekdays', 'Mon-Fri', 'Mon-Fri 17:00-07:30', 'Mon-Fri 7:30-17:00', 'Mon-Fri 07:30-25:00', 'Mon-Funday 07:30-17:00', 'Mon-Fri 07:30-17:00 extra', 'Mon–Fri 07:30-17:00'];
    for (const spec of accepted) {
      it(`accepts "${spec}" in config and in the parser`, () => {
        expect(loadConfig({ MAIL_WINDOW: spec }).MAIL_WINDOW).to.equal(spec);
        expect(() => parseSendingWindow(spec)).to.not.throw();
      });
    }
    for (const spec of refused) {
      it(`refuses "${spec}" at start-up and in the parser`, () => {
        expect(() => loadConfig({ MAIL_WINDOW: spec })).to.throw(ConfigError, /MAIL_WINDOW/);
        expect(() => parseSendingWindow(spec)).to.throw(RangeError);
      });
    }
    it('reads day ranges that wrap past Sunday', () => {
      expect([...parseSendingWindow('Sat-Mon 08:00-09:00').days].sort()).to.deep.equal([0, 1, 6]);
    });
    it('defaults to office hours on weekdays', () => {
      expect(loadConfig({}).MAIL_WINDOW).to.equal('Mon-Fri 07:30-17:00');
    });
  });
});
