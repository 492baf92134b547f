// The formula guard (a table of cases), key-ordered reading across chunk boundaries — with null keys —
// and a larger export streamed, read back whole, and cut off by the client without harm.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import mongoose from 'mongoose';
import { CaseModel, type Case } from '../../server/cases/index.js';
import { guardFormula, keysetScan, sortOf, takeEach, type KeysetOrder } from '../../server/exports/index.js';
import { buildTestApp, useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import supertest from 'supertest';
import { signInAgent } from '../support/http.js';
import { csvRows, download, xlsxCells } from './support.js';

describe('exports: formula guard', () => {
  const cases: [string, string][] = [
    ['=1+1', "'=1+1"],
    ['+84 912 345 678', "'+84 912 345 678"],
    ['-5', "'-5"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['  =cmd|x', "'  =cmd|x"],
    ['\u00a0=1', "'\u00a0=1"],
    ['＝1+1', "'＝1+1"],
    ['＠x', "'＠x"],
    ['Nguyễn Văn An', 'Nguyễn Văn An'],
    ['1 = 1', '1 = 1'],
    ['', ''],
    ['đơn số 12-2026', 'đơn số 12-2026'],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      expect(guardFormula(input)).to.equal(expected);
    });
  }
});

function fakeCase(i: number, dueAt: Date | null): Record<string, unknown> {
  const receivedAt = new Date(Date.UTC(2026, 0, 1 + (i % 50), 2, 0, 0));
  return {
    number: `2026/${String(i + 1).padStart(6, '0')}`,
    year: 2026,
    type: i % 4 === 0 ? 'denunciation' : 'complaint',
    confidential: i % 4 === 0,
    summary: `Nội dung vụ việc số ${i}`,
    parties: [{ personId: new mongoose.Types.ObjectId(), role: 'filer', name: `Người gửi ${i}` }],
    status: 'received',
    receivedAt,
    handlingDeadline: dueAt ? { ruleKey: 'letter-handling', startAt: receivedAt, startDate: '2026-01-01', days: 10, dayType: 'working', dueDate: '2026-01-15', dueAt, skipped: [] } : null,
    createdBy: new mongoose.Types.ObjectId(),
  };
}

describe('exports: reading by key in chunks', function () {
  this.timeout(120_000);
  useTestDatabase();

  it('returns every document once, in order, whatever the chunk size, with null keys', async () => {
    // Many equal keys (ties broken by _id) and a third of the deadlines missing.
    const docs = Array.from({ length: 37 }, (_, i) => fakeCase(i, i % 3 === 0 ? null : new Date(Date.UTC(2026, 1, 1 + (i % 5)))));
    await CaseModel.collection.insertMany(docs);
    const orders: KeysetOrder[] = [
      { path: 'receivedAt', dir: -1 },
      { path: 'receivedAt', dir: 1 },
      { path: 'handlingDeadline.dueAt', dir: 1 },
      { path: 'handlingDeadline.dueAt', dir: -1 },
    ];
    for (const order of orders) {
      const expected = (await CaseModel.find({}, { _id: 1 }).sort(sortOf(order)).lean<Case[]>()).map((c) => String(c._id));
      for (const size of [1, 2, 5, 36, 37, 100]) {
        const seen: string[] = [];
        for await (const chunk of keysetScan<Case>((after, limit) => CaseModel.find(after ?? {}, { _id: 1, receivedAt: 1, handlingDeadline: 1 }).sort(sortOf(order)).limit(limit).lean<Case[]>(), order, size)) {
          expect(chunk.length).to.be.at.most(size);
          seen.push(...chunk.map((c) => String(c._id)));
        }
        expect(seen, `${order.path} ${order.dir} by ${size}`).to.deep.equal(expected);
      }
    }
  });

  it('pages on correctly when the reader empties each chunk as it goes (takeEach)', async () => {
    await CaseModel.collection.insertMany(Array.from({ length: 23 }, (_, i) => fakeCase(i, new Date(Date.UTC(2026, 1, 1 + (i % 4))))));
    const order: KeysetOrder = { path: 'receivedAt', dir: -1 };
    const expected = (await CaseModel.find({}, { _id: 1 }).sort(sortOf(order)).lean<Case[]>()).map((c) => String(c._id));
    for (const size of [1, 5, 23, 50]) {
      const seen: string[] = [];
      for await (const chunk of keysetScan<Case>((after, limit) => CaseModel.find(after ?? {}, { _id: 1, receivedAt: 1 }).sort(sortOf(order)).limit(limit).lean<Case[]>(), order, size)) {
        for (const c of takeEach(chunk)) seen.push(String(c._id));
        // Every slot handed over is emptied: the chunk no longer holds the documents already read.
        expect(chunk.every((c) => c === undefined)).to.equal(true);
      }
      expect(seen, `by ${size}`).to.deep.equal(expected);
    }
  });

  it('streams a long export whole, and stops cleanly when the client goes away', async () => {
    const total = 2_600; // several chunks of 500
    await CaseModel.collection.insertMany(Array.from({ length: total }, (_, i) => fakeCase(i, new Date(Date.UTC(2026, 1, 1)))));
    const { app } = buildTestApp();
    const officer = await createTestUser({ role: 'officer' });
    const agent = supertest.agent(app);
    const signedIn = await signInAgent(agent, officer);
    // The session cookie set at sign-in, for a raw client that can hang up mid-download.
    const cookie = ([] as string[]).concat(signedIn.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    expect(cookie).to.not.equal('');
    const csv = csvRows((await download(agent, '/cases/export.csv')).body);
    expect(csv.length - 1).to.equal(total);
    expect(new Set(csv.slice(1).map((r) => r[0])).size).to.equal(total);
    expect(csv.filter((r) => r[6] === '[bảo mật]')).to.have.length(total / 4);
    const xlsx = await xlsxCells((await download(agent, '/cases/export.xlsx')).body);
    expect(xlsx.length - 1).to.equal(total);

    // A client that reads the first bytes and hangs up: the server keeps answering afterwards.
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      for (const format of ['csv', 'xlsx']) {
        const firstBytes = await new Promise<number>((resolve, reject) => {
          const req = http.get({ host: '127.0.0.1', port, path: `/cases/export.${format}`, headers: { Cookie: cookie } }, (res) => {
            expect(res.statusCode).to.equal(200);
            expect(res.headers['x-export-rows']).to.equal(String(total));
            res.once('data', (chunk: Buffer) => {
              req.destroy();
              resolve(chunk.length);
            });
          });
          req.on('error', reject);
        });
        expect(firstBytes).to.be.greaterThan(0);
      }
      await new Promise((r) => setTimeout(r, 300));
      expect((await agent.get('/cases')).status).to.equal(200);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
