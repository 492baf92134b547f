// The work queues on the hand-built office of fixture.ts: every queue's count and order, the overdue
// days, the filters, keyset pages, who sees what (a delegate only the forwardings of the cases they
// follow, an administrator nothing), the /queues page with bad input, and each role's home page.
import { expect } from 'chai';
import type { Express } from 'express';
import type { Actor } from '../../server/access/index.js';
import { allQueueCounts, countQueues, listQueue, queueMoment, type QueueId, type QueueMoment } from '../../server/queues/index.js';
import { loadActor } from '../../server/users/index.js';
import { buildTestApp, clearDatabase, connectTestDatabase, fixedClock } from '../support/app.js';
import type { TestUser } from '../support/factories.js';
import { signIn, type Agent } from '../support/http.js';
import { buildQueueFixture, NOW, type QueueFixture } from './fixture.js';

async function actorOf(user: TestUser): Promise<Actor> {
  return (await loadActor(user.id))!;
}

function countsOf(list: { id: QueueId; count: number }[]): Record<string, number> {
  return Object.fromEntries(list.map((c) => [c.id, c.count]));
}

describe('work queues', function () {
  this.timeout(180_000);
  let fx: QueueFixture;
  let app: Express;
  let m: QueueMoment;
  let officer: Actor;
  let delegate: Actor;
  let admin: Actor;
  let leader: Actor;

  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
    fx = await buildQueueFixture();
    app = buildTestApp({ clock: fixedClock(NOW) }).app;
    m = await queueMoment(NOW);
    [officer, delegate, admin, leader] = await Promise.all([actorOf(fx.officer), actorOf(fx.delegate), actorOf(fx.admin), actorOf(fx.leader)]);
  });

  describe('queries', () => {
    it('counts every queue an officer may open', async () => {
      expect(countsOf(await allQueueCounts(officer, {}, m))).to.deep.equal({
        'my-cases': 9,
        'my-forwardings': 7,
        'due-soon': 1,
        'cases-due-soon': 1,
        overdue: 3,
        'cases-overdue': 1,
        answered: 2,
        extensions: 1,
        reminded: 2,
      });
    });

    it('gives the leader the drafts to approve as well', async () => {
      const counts = countsOf(await allQueueCounts(leader, {}, m));
      expect(counts['awaiting-approval']).to.equal(1);
      expect(counts.overdue).to.equal(3);
      expect(counts['my-cases']).to.equal(0);
      const page = await listQueue(leader, 'awaiting-approval', {}, undefined, m);
      expect(page.rows.map((r) => r.id)).to.deep.equal([fx.forwardings.F8]);
      expect(page.rows[0]!.href).to.equal(`/forwardings/${fx.forwardings.F8}`);
    });

    it('lists overdue forwardings most overdue first, with the days late', async () => {
      const page = await listQueue(officer, 'overdue', {}, undefined, m);
      expect(page.total).to.equal(3);
      expect(page.rows.map((r) => [r.id, r.daysOverdue, r.dueDate])).to.deep.equal([
        [fx.forwardings.F1, 31, '2027-03-22'],
        [fx.forwardings.F3, 31, '2027-03-22'],
        [fx.forwardings.F5, 29, '2027-03-24'],
      ]);
      expect(page.rows.every((r) => r.overdue && r.subject === 'forwarding')).to.equal(true);
      const cases = await listQueue(officer, 'cases-overdue', {}, undefined, m);
      expect(cases.rows.map((r) => [r.id, r.daysOverdue, r.href])).to.deep.equal([[fx.cases.K9, 38, `/cases/${fx.cases.K9}`]]);
    });

    it('lists what is due soon, answers to evaluate, extension requests and unanswered reminders', async () => {
      expect((await listQueue(officer, 'due-soon', {}, undefined, m)).rows.map((r) => [r.id, r.daysOverdue])).to.deep.equal([[fx.forwardings.F6, 0]]);
      expect((await listQueue(officer, 'cases-due-soon', {}, undefined, m)).rows.map((r) => [r.id, r.officer])).to.deep.equal([[fx.cases.K10, 'Trần Thị Hai']]);
      // The answer that has waited longest comes first.
      expect((await listQueue(officer, 'answered', {}, undefined, m)).rows.map((r) => r.id)).to.deep.equal([fx.forwardings.F1b, fx.forwardings.F4]);
      const extensions = await listQueue(officer, 'extensions', {}, undefined, m);
      expect(extensions.rows.map((r) => [r.id, r.pendingExtensionDays])).to.deep.equal([[fx.forwardings.F5, 10]]);
      const reminded = await listQueue(officer, 'reminded', {}, undefined, m);
      expect(reminded.rows.map((r) => [r.id, r.chaseCount])).to.deep.equal([
        [fx.forwardings.F1, 1],
        [fx.forwardings.F3, 1],
      ]);
    });

    it("lists the officer's own cases and unfinished drafts, and nobody else's", async () => {
      const mine = await listQueue(officer, 'my-forwardings', {}, undefined, m);
      const { F1, F1b, F3, F4, F5, F6, F8 } = fx.forwardings;
      expect(new Set(mine.rows.map((r) => r.id))).to.deep.equal(new Set([F1, F1b, F3, F4, F5, F6, F8]));
      const other = await listQueue(await actorOf(fx.officer2), 'my-forwardings', {}, undefined, m);
      expect(other.rows.map((r) => r.id)).to.deep.equal([fx.forwardings.F7]);
      const myCases = await listQueue(officer, 'my-cases', {}, undefined, m);
      expect(myCases.total).to.equal(9);
      expect(myCases.rows.map((r) => r.id)).to.not.include.members([fx.cases.K2, fx.cases.K10]);
    });

    it('filters by agency, field, commune and officer', async () => {
      expect((await listQueue(officer, 'overdue', { agency: fx.agencies.A }, undefined, m)).rows.map((r) => r.id)).to.deep.equal([fx.forwardings.F1, fx.forwardings.F3]);
      expect((await listQueue(officer, 'overdue', { agency: fx.agencies.C }, undefined, m)).total).to.equal(0);
      expect((await listQueue(officer, 'overdue', { field: fx.ref.otherField }, undefined, m)).rows.map((r) => r.id)).to.deep.equal([fx.forwardings.F3]);
      expect((await listQueue(officer, 'overdue', { unit: fx.ref.otherCommune }, undefined, m)).rows.map((r) => r.id)).to.deep.equal([fx.forwardings.F5]);
      expect((await listQueue(officer, 'overdue', { officer: fx.officer.id }, undefined, m)).total).to.equal(3);
      expect((await listQueue(officer, 'overdue', { officer: fx.officer2.id }, undefined, m)).total).to.equal(0);
      expect((await listQueue(officer, 'cases-due-soon', { officer: fx.officer2.id }, undefined, m)).total).to.equal(1);
      expect((await listQueue(officer, 'cases-due-soon', { officer: fx.officer.id }, undefined, m)).total).to.equal(0);
      // On a case queue the agency filter keeps the cases forwarded to that agency.
      expect((await listQueue(officer, 'my-cases', { agency: fx.agencies.B }, undefined, m)).rows.map((r) => r.id).sort()).to.deep.equal([fx.cases.K4, fx.cases.K5].sort());
      expect(countsOf(await allQueueCounts(officer, { agency: fx.agencies.A }, m))).to.include({ overdue: 2, answered: 1, reminded: 2, extensions: 0, 'due-soon': 0 });
    });

    it('pages by key: each row once, in order, and a vanished cursor starts again at the top', async () => {
      const first = await listQueue(officer, 'overdue', {}, undefined, m, 2);
      expect(first.rows.map((r) => r.id)).to.deep.equal([fx.forwardings.F1, fx.forwardings.F3]);
      expect(first.next).to.equal(fx.forwardings.F3);
      expect(first.total).to.equal(3);
      const second = await listQueue(officer, 'overdue', {}, first.next!, m, 2);
      expect(second.rows.map((r) => r.id)).to.deep.equal([fx.forwardings.F5]);
      expect(second.next).to.equal(null);
      // A row that is not in this queue (here a closed forwarding) is no cursor.
      const stray = await listQueue(officer, 'overdue', {}, fx.forwardings.F2, m, 2);
      expect(stray.rows.map((r) => r.id)).to.deep.equal([fx.forwardings.F1, fx.forwardings.F3]);
    });

    it('shows a delegate only the forwardings of the cases they follow', async () => {
      const counts = countsOf(await allQueueCounts(delegate, {}, m));
      expect(counts).to.deep.equal({ 'due-soon': 0, 'cases-due-soon': 0, overdue: 1, 'cases-overdue': 0, answered: 1, reminded: 1 });
      expect((await listQueue(delegate, 'overdue', {}, undefined, m)).rows.map((r) => r.id)).to.deep.equal([fx.forwardings.F3]);
      expect((await listQueue(delegate, 'answered', {}, undefined, m)).rows.map((r) => r.id)).to.deep.equal([fx.forwardings.F4]);
      // Queues that are not theirs give nothing, even when asked for directly.
      expect((await listQueue(delegate, 'my-forwardings', {}, undefined, m)).rows).to.deep.equal([]);
      expect((await listQueue(delegate, 'extensions', {}, undefined, m)).total).to.equal(0);
    });

    it('shows an administrator no queue at all', async () => {
      expect(await allQueueCounts(admin, {}, m)).to.deep.equal([]);
      expect(await countQueues(admin, ['overdue', 'answered', 'my-cases'], {}, m)).to.deep.equal([]);
      for (const id of ['overdue', 'answered', 'awaiting-approval', 'cases-overdue'] as const) expect((await listQueue(admin, id, {}, undefined, m)).total, id).to.equal(0);
    });
  });

  describe('pages', () => {
    let officerAgent: Agent;
    before(async () => {
      officerAgent = await signIn(app, fx.officer);
    });

    it("shows an officer's queues on the home page with counts and links", async () => {
      const res = await officerAgent.get('/');
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('Việc cần làm');
      const links = [...res.text.matchAll(/href="(\/queues\?queue=[\w-]+)" data-queue="[\w-]+">([^<]+)</g)].map((x) => [x[1], x[2]!.trim()]);
      expect(links).to.deep.equal([
        ['/queues?queue=my-cases', 'Vụ việc tôi được giao: 9'],
        ['/queues?queue=my-forwardings', 'Phiếu chuyển tôi soạn chưa kết thúc: 7'],
        ['/queues?queue=due-soon', 'Chuyển đơn sắp đến hạn trả lời: 1'],
        ['/queues?queue=cases-due-soon', 'Vụ việc sắp đến hạn xử lý: 1'],
        ['/queues?queue=overdue', 'Chuyển đơn quá hạn trả lời: 3'],
        ['/queues?queue=answered', 'Đã trả lời, chờ đánh giá: 2'],
      ]);
    });

    it("shows a leader's and a delegate's own queues, and an administrator none", async () => {
      const leaderAgent = await signIn(app, fx.leader, { nowMs: NOW.getTime() });
      const leaderHome = (await leaderAgent.get('/')).text;
      expect([...leaderHome.matchAll(/data-queue="([\w-]+)">([^<]+)</g)].map((x) => x[2]!.trim())).to.deep.equal(['Chờ phê duyệt: 1', 'Chuyển đơn quá hạn trả lời: 3', 'Đã trả lời, chờ đánh giá: 2']);
      const delegateHome = (await (await signIn(app, fx.delegate)).get('/')).text;
      expect([...delegateHome.matchAll(/data-queue="([\w-]+)">([^<]+)</g)].map((x) => x[2]!.trim())).to.deep.equal(['Chuyển đơn quá hạn trả lời: 1', 'Đã trả lời, chờ đánh giá: 1']);
      const adminAgent = await signIn(app, fx.admin, { nowMs: NOW.getTime() });
      const adminHome = await adminAgent.get('/');
      expect(adminHome.status).to.equal(200);
      expect(adminHome.text).to.not.contain('data-queue=');
      expect(adminHome.text).to.not.contain('href="/queues');
      expect((await adminAgent.get('/queues')).status).to.equal(403);
    });

    it('shows a queue with its rows linked to the forwardings, and every queue count', async () => {
      const res = await officerAgent.get('/queues?queue=overdue');
      expect(res.status).to.equal(200);
      expect(res.text).to.contain('Chuyển đơn quá hạn trả lời');
      const rows = [...res.text.matchAll(/data-queue-row="([a-f0-9]{24})"/g)].map((x) => x[1]);
      expect(rows).to.deep.equal([fx.forwardings.F1, fx.forwardings.F3, fx.forwardings.F5]);
      expect(res.text).to.contain(`href="/forwardings/${fx.forwardings.F3}"`);
      expect(res.text).to.contain('Quá hạn 31 ngày');
      expect(res.text).to.contain('Quá hạn 29 ngày');
      expect(res.text).to.match(/data-queue-count="extensions">1</);
      expect(res.text).to.match(/data-queue-count="reminded">2</);
      const filtered = await officerAgent.get(`/queues?queue=overdue&agency=${fx.agencies.B}`);
      expect([...filtered.text.matchAll(/data-queue-row="([a-f0-9]{24})"/g)].map((x) => x[1])).to.deep.equal([fx.forwardings.F5]);
      // The other queues' counts follow the filters, and their links keep them.
      expect(filtered.text).to.contain(`href="/queues?queue=extensions&amp;agency=${fx.agencies.B}"`);
      expect(filtered.text).to.match(/data-queue-count="reminded">0</);
    });

    it('answers bad filters with the default queue and no filter, never an error', async () => {
      const bad = [
        '/queues?queue=everything',
        '/queues?queue=overdue&queue=answered',
        '/queues?agency=not-an-id&field=%24where&unit=' + 'x'.repeat(80),
        '/queues?officer[$ne]=1',
        '/queues?after=zzz',
        `/queues?queue=overdue&after=${'0'.repeat(24)}`,
      ];
      for (const path of bad) {
        const res = await officerAgent.get(path);
        expect(res.status, path).to.equal(200);
        expect(res.text, path).to.contain('data-queue-row=');
      }
      expect((await officerAgent.get('/queues?queue=everything')).text).to.contain('<h2 class="govuk-heading-m" id="queue-heading">Vụ việc tôi được giao</h2>');
      const delegateAgent = await signIn(app, fx.delegate);
      // A queue that is not the delegate's falls back to their first one.
      const res = await delegateAgent.get('/queues?queue=awaiting-approval');
      expect(res.status).to.equal(200);
      expect([...res.text.matchAll(/data-queue-row="([a-f0-9]{24})"/g)].map((x) => x[1])).to.deep.equal([fx.forwardings.F3]);
      expect(res.text).to.not.contain('data-queue-count="awaiting-approval"');
    });
  });
});
