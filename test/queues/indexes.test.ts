// The home page's case queues read only the cases they count: among 600 cases whose deadlines are spread
// over a year, "due soon" and "overdue" are answered from the index on status and deadline, and "my
// cases" from the one on officer and status (explain's documents examined equals what the queue holds),
// not by visiting every open case, or every case of the officer.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { permissionsOf, type Actor } from '../../server/access/index.js';
import { CaseModel } from '../../server/cases/index.js';
import { queueFilter, queueMoment } from '../../server/queues/index.js';
import { clearDatabase, connectTestDatabase } from '../support/app.js';

interface Explained {
  queryPlanner: { winningPlan: { stage: string; inputStage?: { indexName?: string } } };
  executionStats: { nReturned: number; totalDocsExamined: number };
}

const NOW = new Date('2027-03-10T03:00:00Z');
const DAY = 86_400_000;
const officer: Actor = { id: new mongoose.Types.ObjectId().toHexString(), email: 'q@test', name: 'Cán bộ', role: 'officer', permissions: permissionsOf('officer'), locale: 'vi', mustChangePassword: false, twoFactorEnabled: false };

describe('work queues: the home page’s case queues use their indexes', function () {
  this.timeout(120_000);

  before(async () => {
    await connectTestDatabase();
    await clearDatabase();
    const statuses = ['received', 'in-progress', 'forwarded', 'closed'];
    await CaseModel.collection.insertMany(
      Array.from({ length: 600 }, (_, i) => {
        const dueAt = new Date(NOW.getTime() + (i - 300) * DAY);
        return { number: `2027/${String(i + 1).padStart(6, '0')}`, status: statuses[i % 4], assignedTo: i % 3 ? new mongoose.Types.ObjectId(officer.id) : null, receivedAt: new Date(dueAt.getTime() - 60 * DAY), handlingDeadline: { dueAt, dueDate: dueAt.toISOString().slice(0, 10) } };
      }),
    );
  });

  const cases: [string, 'cases-due-soon' | 'cases-overdue' | 'my-cases', Record<string, 1 | -1>, string][] = [
    ['the status and deadline index', 'cases-due-soon', { 'handlingDeadline.dueAt': 1, _id: 1 }, 'status_1_handlingDeadline.dueAt_1__id_1'],
    ['the status and deadline index', 'cases-overdue', { 'handlingDeadline.dueAt': 1, _id: 1 }, 'status_1_handlingDeadline.dueAt_1__id_1'],
    ['the officer and status index', 'my-cases', { receivedAt: -1, _id: -1 }, 'assignedTo_1_status_1_receivedAt_-1__id_-1'],
  ];
  for (const [index, id, sort, name] of cases) {
    it(`answers "${id}" from ${index}, examining only its own cases`, async () => {
      const filter = await queueFilter(officer, id, {}, await queueMoment(NOW));
      const plan = (await CaseModel.collection.find(filter!).sort(sort).explain('executionStats')) as unknown as Explained;
      expect(plan.executionStats.nReturned, 'the queue holds some of the cases').to.be.within(1, 399);
      expect(plan.queryPlanner.winningPlan.inputStage?.indexName).to.equal(name);
      expect(plan.executionStats.totalDocsExamined).to.equal(plan.executionStats.nReturned);
    });
  }
});
