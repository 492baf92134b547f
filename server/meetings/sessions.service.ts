// Sessions: entered by the office once the date of a session is announced; their compile deadlines
// are computed from the deadline rules and the working-day calendar when they are saved.
import mongoose from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import { computeRuleDeadline } from '../deadlines/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { NotFoundError, ValidationError, isDuplicateKeyError } from '../platform/errors.js';
import { recordMeetingEvents } from './meeting-event.model.js';
import { sessionDateProblems, sessionDayInstant } from './meetings.rules.js';
import type { SessionInput } from './meetings.schemas.js';
import { AssemblySessionModel, type AssemblySession } from './session.model.js';

async function windowsFor(input: Pick<SessionInput, 'opensOn' | 'closesOn'>) {
  const [compileBefore, compileAfter] = await Promise.all([
    computeRuleDeadline('voter-petitions-compile-before', { startAt: sessionDayInstant(input.opensOn) }),
    computeRuleDeadline('voter-petitions-compile-after', { startAt: sessionDayInstant(input.closesOn) }),
  ]);
  return { compileBefore, compileAfter };
}

function checkDates(input: SessionInput): void {
  const problems = sessionDateProblems(input.opensOn, input.closesOn);
  if (Object.keys(problems).length > 0) throw new ValidationError(problems);
}

async function existingBySubmission(submissionKey: string): Promise<string | null> {
  const found = await AssemblySessionModel.findOne({ submissionKey }, { _id: 1 }).lean<Pick<AssemblySession, '_id'>>();
  return found ? String(found._id) : null;
}

/** Records a session; the same form submitted twice records it once. */
export async function createSession(actor: Actor, input: SessionInput, ctx: ServiceContext): Promise<{ id: string; replayed: boolean }> {
  assertCan(actor, 'cases:write');
  checkDates(input);
  const replay = await existingBySubmission(input.submissionKey);
  if (replay) return { id: replay, replayed: true };
  const windows = await windowsFor(input);
  const id = new mongoose.Types.ObjectId();
  try {
    await inTransaction(async (session) => {
      await AssemblySessionModel.create(
        [{ _id: id, body: input.body, term: input.term, number: input.number, opensOn: input.opensOn, closesOn: input.closesOn, ...windows, submissionKey: input.submissionKey, createdBy: new mongoose.Types.ObjectId(actor.id) }],
        { session },
      );
      await recordMeetingEvents([{ subjectType: 'session', subjectId: id, action: 'session.created', at: ctx.clock.now(), actor, details: { body: input.body, term: input.term, number: input.number } }], session);
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    const winner = await existingBySubmission(input.submissionKey);
    if (winner) return { id: winner, replayed: true };
    throw new ValidationError({ number: 'meetings.errors.sessionExists' });
  }
  return { id: String(id), replayed: false };
}

/** Corrects a session; its compile deadlines are computed again from the new dates. */
export async function updateSession(actor: Actor, sessionId: string, input: SessionInput, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'cases:write');
  if (!mongoose.isValidObjectId(sessionId)) throw new NotFoundError('meetings.errors.sessionNotFound');
  checkDates(input);
  const before = await AssemblySessionModel.findById(sessionId, { body: 1, term: 1, number: 1, opensOn: 1, closesOn: 1 }).lean<AssemblySession>();
  if (!before) throw new NotFoundError('meetings.errors.sessionNotFound');
  const windows = await windowsFor(input);
  try {
    await inTransaction(async (session) => {
      await AssemblySessionModel.updateOne(
        { _id: before._id },
        { $set: { body: input.body, term: input.term, number: input.number, opensOn: input.opensOn, closesOn: input.closesOn, ...windows } },
        { session },
      );
      await recordMeetingEvents(
        [
          {
            subjectType: 'session',
            subjectId: before._id,
            action: 'session.updated',
            at: ctx.clock.now(),
            actor,
            details: { before: { body: before.body, term: before.term, number: before.number, opensOn: before.opensOn, closesOn: before.closesOn }, after: { body: input.body, term: input.term, number: input.number, opensOn: input.opensOn, closesOn: input.closesOn } },
          },
        ],
        session,
      );
    });
  } catch (err) {
    if (!isDuplicateKeyError(err)) throw err;
    throw new ValidationError({ number: 'meetings.errors.sessionExists' });
  }
}
