// Compiling a session's petitions: every classified petition still in the office's hands is marked
// compiled (it goes on the list sent to the agencies). Petitions not yet classified stay out and are
// counted, so the officer knows what is left.
import mongoose, { trusted } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { NotFoundError } from '../platform/errors.js';
import { recordMeetingEvents } from './meeting-event.model.js';
import { PetitionModel, type Petition } from './petition.model.js';
import { AssemblySessionModel } from './session.model.js';

export async function compileSession(actor: Actor, sessionId: string, ctx: ServiceContext): Promise<{ compiled: number; unclassified: number }> {
  assertCan(actor, 'cases:write');
  if (!mongoose.isValidObjectId(sessionId)) throw new NotFoundError('meetings.errors.sessionNotFound');
  const id = new mongoose.Types.ObjectId(sessionId);
  if (!(await AssemblySessionModel.exists({ _id: id }))) throw new NotFoundError('meetings.errors.sessionNotFound');
  const at = ctx.clock.now();
  return inTransaction(async (session) => {
    const ready = await PetitionModel.find({ sessionId: id, status: 'classified' }, { code: 1 }).session(session).lean<Petition[]>();
    if (ready.length > 0) {
      await PetitionModel.updateMany({ _id: trusted({ $in: ready.map((p) => p._id) }), status: 'classified' }, { $set: { status: 'compiled', compiledAt: at } }, { session });
      await recordMeetingEvents(
        [
          { subjectType: 'session', subjectId: id, action: 'session.compiled', at, actor, details: { count: ready.length } },
          ...ready.map((p) => ({ subjectType: 'petition' as const, subjectId: p._id, action: 'petition.compiled', at, actor })),
        ],
        session,
      );
    }
    const unclassified = await PetitionModel.countDocuments({ sessionId: id, status: 'recorded' }).session(session);
    return { compiled: ready.length, unclassified };
  });
}
