// Writes shared by the petition services: the petition's code, and the figures a consolidated
// petition keeps from its originals (recomputed whenever its originals change).
import mongoose, { trusted, type ClientSession } from 'mongoose';
import { nextSequence } from '../platform/db/counters.js';
import { aggregateOriginals } from './merge.rules.js';
import { PetitionModel, type Petition } from './petition.model.js';

/** KN-2026-00042: numbered per year of the meeting, gap-free (taken inside the saving transaction). */
export async function nextPetitionCode(year: number, session: ClientSession): Promise<string> {
  const seq = await nextSequence(`voter-petition-${year}`, session);
  return `KN-${year}-${String(seq).padStart(5, '0')}`;
}

/** Sets each consolidated petition's meetings, localities, voters and delegates from its originals. */
export async function refreshConsolidated(ids: readonly mongoose.Types.ObjectId[], session: ClientSession): Promise<void> {
  for (const id of new Set(ids.map(String))) {
    const originals = await PetitionModel.find({ mergedInto: new mongoose.Types.ObjectId(id) }, { meetingId: 1, voterCount: 1, unitCode: 1, delegateUserIds: 1, raisedAt: 1 })
      .sort({ raisedAt: 1, _id: 1 })
      .session(session)
      .lean<Petition[]>();
    if (originals.length === 0) continue;
    const facts = aggregateOriginals(originals.map((o) => ({ meetingId: String(o.meetingId), voterCount: o.voterCount, unitCode: o.unitCode ?? null, delegateUserIds: o.delegateUserIds.map(String) })));
    await PetitionModel.updateOne(
      { _id: new mongoose.Types.ObjectId(id) },
      {
        $set: {
          originalIds: originals.map((o) => o._id),
          meetingIds: facts.meetingIds.map((m) => new mongoose.Types.ObjectId(m)),
          meetingCount: facts.meetingCount,
          voterCount: facts.voterCount,
          unitCodes: facts.unitCodes,
          delegateUserIds: facts.delegateUserIds.map((u) => new mongoose.Types.ObjectId(u)),
          raisedAt: originals[0]!.raisedAt,
        },
      },
      { session },
    );
  }
}

/** Refreshes the consolidated petitions that the originals matching `filter` belong to. */
export async function refreshConsolidatedOf(filter: Record<string, unknown>, session: ClientSession): Promise<void> {
  const merged = await PetitionModel.find({ ...filter, mergedInto: trusted({ $ne: null }) }, { mergedInto: 1 })
    .session(session)
    .lean<Petition[]>();
  await refreshConsolidated(
    merged.map((p) => p.mergedInto).filter((id): id is mongoose.Types.ObjectId => !!id),
    session,
  );
}
