// The agency's answer form against oversized uploads: a file over the per-file limit (20 MB) and more
// files than the form takes (5) are refused with a clear 413 page in Vietnamese that keeps what was
// typed, and nothing is left in the attachments collection or in GridFS; the answer is not saved.
import { expect } from 'chai';
import mongoose from 'mongoose';
import type supertest from 'supertest';
import { DEFAULT_MAX_BYTES } from '../../server/attachments/index.js';
import { ForwardingModel } from '../../server/forwarding/index.js';
import { samplePdf } from '../attachments/samples.js';
import { buildTestApp, fixedClock, useTestDatabase } from '../support/app.js';
import { csrfFrom, type Agent } from '../support/http.js';
import { startSmtpPeer, type SmtpPeer } from '../support/smtp.js';
import { APP_CONFIG, START, countIn, openAgencySession, sendForwarding, sendPendingEmailsAndGetLink, useAgencyMail } from './support.js';

const FIELDS = {
  submissionKey: 'f'.repeat(32),
  documentNumber: '456/SXD-TTr',
  documentDate: '02/03/2027',
  responderName: 'Đặng Thị Trả Lời',
  responderPosition: 'Phó Giám đốc Sở',
  outcome: 'resolved',
  text: 'Sở đã kiểm tra và xử lý theo quy định.',
};

function postAnswer(agent: Agent, csrf: string, files: { name: string; content: Buffer }[]): supertest.Test {
  let req = agent.post('/agency/answer').field('_csrf', csrf);
  for (const [name, value] of Object.entries(FIELDS)) req = req.field(name, value);
  for (const file of files) req = req.attach('files', file.content, file.name);
  return req;
}

async function storedCounts() {
  return { attachments: await countIn('attachments'), files: await countIn('uploads.files'), chunks: await countIn('uploads.chunks') };
}

/** Refused uploads are removed once the response has gone out; give that a moment. */
async function expectBackTo(before: Awaited<ReturnType<typeof storedCounts>>): Promise<void> {
  for (let i = 0; i < 100 && JSON.stringify(await storedCounts()) !== JSON.stringify(before); i++) await new Promise((r) => setTimeout(r, 50));
  expect(await storedCounts()).to.deep.equal(before);
}

describe('agency link: uploads over the limits', function () {
  this.timeout(120_000);
  useTestDatabase();
  let peer: SmtpPeer;

  before(async () => {
    peer = await startSmtpPeer();
    useAgencyMail(peer);
  });
  after(async () => {
    await peer.stop();
  });
  beforeEach(() => peer.clear());

  async function setUp() {
    const clock = fixedClock(START);
    const { app } = buildTestApp({ clock, config: APP_CONFIG });
    const sent = await sendForwarding(app, clock, { denunciation: false });
    const link = await sendPendingEmailsAndGetLink(peer, clock, sent.agencyEmail);
    const agent = await openAgencySession(app, link.path);
    return { sent, agent, csrf: csrfFrom((await agent.get('/agency')).text) };
  }

  function expectRefusal(res: supertest.Response, message: string): void {
    expect(res.status).to.equal(413);
    expect(res.text).to.include('Có lỗi cần sửa');
    expect(res.text).to.include('href="#files"');
    expect(res.text).to.include(message);
    // What the agency typed is still in the form.
    expect(res.text).to.include(`value="${FIELDS.documentNumber}"`);
    expect(res.text).to.include(`value="${FIELDS.responderName}"`);
    expect(res.text).to.include(FIELDS.text);
  }

  it('refuses a file one byte over 20 MB with a 413 in Vietnamese, keeps the typed answer, stores nothing', async () => {
    const { sent, agent, csrf } = await setUp();
    const before = await storedCounts();
    const pdf = samplePdf(0);
    const oversized = Buffer.concat([pdf, Buffer.alloc(DEFAULT_MAX_BYTES + 1 - pdf.length, 0x20)]);
    const res = await postAnswer(agent, csrf, [{ name: 'Văn bản trả lời.pdf', content: samplePdf(50) }, { name: 'Phụ lục quá lớn.pdf', content: oversized }]);
    expectRefusal(res, 'Tệp quá lớn: mỗi tệp tối đa 20 MB.');
    await expectBackTo(before);
    expect(await countIn('forwarding_answers')).to.equal(0);
    expect((await ForwardingModel.findById(sent.id).lean())!.status).to.equal('sent');
  });

  it('refuses six files (the form takes five) with a 413 in Vietnamese, keeps the typed answer, stores nothing', async () => {
    const { sent, agent, csrf } = await setUp();
    const before = await storedCounts();
    const files = Array.from({ length: 6 }, (_, i) => ({ name: `Tài liệu ${i + 1}.pdf`, content: samplePdf(100) }));
    const res = await postAnswer(agent, csrf, files);
    expectRefusal(res, 'Quá nhiều tệp: mỗi lần gửi tối đa 5 tệp.');
    await expectBackTo(before);
    expect(await countIn('forwarding_answers')).to.equal(0);
    expect((await ForwardingModel.findById(sent.id).lean())!.answerCount).to.equal(0);
    // Five files are fine: the limit is where the message says.
    const ok = await postAnswer(agent, csrf, files.slice(0, 5));
    expect(ok.status, ok.text.slice(0, 300)).to.equal(303);
    const answer = await mongoose.connection.collection('forwarding_answers').findOne({});
    expect(answer?.attachmentIds).to.have.length(5);
  });
});
