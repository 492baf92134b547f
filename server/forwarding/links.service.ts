// The agency's secure link: issued when a forwarding is sent (or anew by an officer, which revokes the
// earlier ones), turned into a token only when an email carrying it is handed to the SMTP server,
// revoked by officers, and checked on every use. Every use, refused ones included, is logged.
import mongoose, { trusted, type ClientSession } from 'mongoose';
import { assertCan, type Actor } from '../access/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { ConflictError, NotFoundError } from '../platform/errors.js';
import { ForwardingModel, type Forwarding } from './forwarding.model.js';
import { hashLinkToken, linkExpiry, linkRefusal, looksLikeLinkToken, newLinkToken, type LinkRefusal } from './forwarding.rules.js';
import { ForwardingLinkModel, LinkAccessModel, type ForwardingLink, type LinkAction } from './link.model.js';
import { forwardingSettings } from './settings.js';
import { recordForwardingEvent } from './timeline.js';

export interface AccessMeta {
  at: Date;
  ip: string | null;
  userAgent: string | null;
}

export async function logLinkAccess(
  entry: { forwardingId: mongoose.Types.ObjectId | string | null; linkId: mongoose.Types.ObjectId | string | null; action: LinkAction; refusal?: LinkRefusal | null },
  meta: AccessMeta,
): Promise<void> {
  const id = (v: mongoose.Types.ObjectId | string | null) => (v === null ? null : new mongoose.Types.ObjectId(String(v)));
  await LinkAccessModel.create({
    at: meta.at,
    forwardingId: id(entry.forwardingId),
    linkId: id(entry.linkId),
    action: entry.action,
    refusal: entry.refusal ?? null,
    ip: meta.ip?.slice(0, 64) ?? null,
    userAgent: meta.userAgent?.slice(0, 300) ?? null,
  });
}

/** A new link for a forwarding being sent (inside the sending transaction); no token exists yet. */
export async function issueLink(forwarding: Pick<Forwarding, '_id' | 'deadline' | 'sentAt'>, by: string, now: Date, session: ClientSession): Promise<ForwardingLink> {
  // A link issued long after the deadline (a reminder months later) still lives its full span from today.
  const base = forwarding.deadline && forwarding.deadline.dueAt.getTime() > now.getTime() ? forwarding.deadline.dueAt : null;
  const expiresAt = linkExpiry(base, base ? (forwarding.sentAt ?? now) : now, forwardingSettings().AGENCY_LINK_DAYS_AFTER_DEADLINE);
  const [link] = await ForwardingLinkModel.create([{ forwardingId: forwarding._id, tokenHashes: [], createdAt: now, createdBy: by, expiresAt }], { session });
  return link!.toObject<ForwardingLink>();
}

/**
 * The link to put in a follow-up email: the newest live one; when the links only ran out, a new one
 * (a late agency must still be able to answer). With `evenIfRevoked` (an officer chasing by hand) a new
 * link is issued also when every link was revoked; automatic reminders never override a revocation.
 */
export async function linkForFollowUp(
  forwarding: Pick<Forwarding, '_id' | 'deadline' | 'sentAt'>,
  by: string,
  now: Date,
  session: ClientSession,
  options: { evenIfRevoked?: boolean } = {},
): Promise<mongoose.Types.ObjectId | null> {
  const live = await ForwardingLinkModel.findOne({ forwardingId: forwarding._id, revokedAt: null, expiresAt: trusted({ $gt: now }) }, { _id: 1 })
    .sort({ forwardingId: 1, createdAt: -1 })
    .session(session)
    .lean<{ _id: mongoose.Types.ObjectId }>();
  if (live) return live._id;
  const expiredOnly = await ForwardingLinkModel.exists({ forwardingId: forwarding._id, revokedAt: null }).session(session);
  if (!expiredOnly && !options.evenIfRevoked) return null;
  return (await issueLink(forwarding, by, now, session))._id;
}

/** Revokes every live link of a forwarding (inside the caller's transaction); returns how many. */
export async function revokeLinksWithin(forwardingId: mongoose.Types.ObjectId, by: string, reason: string, now: Date, session: ClientSession): Promise<number> {
  const result = await ForwardingLinkModel.updateMany({ forwardingId, revokedAt: null }, { $set: { revokedAt: now, revokedBy: by, revokedReason: reason } }, { session });
  return result.modifiedCount;
}

/**
 * Called by the outbox sender for each delivery attempt of an email carrying the link: a fresh 256-bit
 * token whose hash joins the link's. The token itself exists only in the email that leaves.
 */
export async function tokenPathForDelivery(linkId: string): Promise<string> {
  if (!mongoose.isValidObjectId(linkId)) throw new Error(`not a link id: ${linkId}`);
  const token = newLinkToken();
  const result = await ForwardingLinkModel.updateOne({ _id: new mongoose.Types.ObjectId(linkId) }, { $push: { tokenHashes: hashLinkToken(token) } });
  if (result.matchedCount !== 1) throw new Error(`link ${linkId} does not exist`);
  return `/a/${token}`;
}

export interface LinkLookup {
  refusal: LinkRefusal | null;
  link: ForwardingLink | null;
  forwarding: Pick<Forwarding, '_id' | 'status' | 'agencyName' | 'documentNumber'> | null;
}

/** Finds what a presented token opens, and whether it may be used now. Changes nothing. */
export async function lookUpToken(token: unknown, now: Date): Promise<LinkLookup> {
  if (!looksLikeLinkToken(token)) return { refusal: 'unknown', link: null, forwarding: null };
  const link = await ForwardingLinkModel.findOne({ tokenHashes: hashLinkToken(token) }).lean<ForwardingLink>();
  const forwarding = link
    ? await ForwardingModel.findById(link.forwardingId, { status: 1, agencyName: 1, documentNumber: 1 }).lean<Pick<Forwarding, '_id' | 'status' | 'agencyName' | 'documentNumber'>>()
    : null;
  return { refusal: linkRefusal(link, forwarding, now), link, forwarding };
}

/** The link behind an agency session is checked again on every request: a revoked link ends it at once. */
export async function checkLinkStillValid(linkId: string, now: Date): Promise<{ refusal: LinkRefusal | null; forwardingId: string | null }> {
  if (!mongoose.isValidObjectId(linkId)) return { refusal: 'unknown', forwardingId: null };
  const link = await ForwardingLinkModel.findById(linkId).lean<ForwardingLink>();
  const forwarding = link ? await ForwardingModel.findById(link.forwardingId, { status: 1 }).lean<Pick<Forwarding, 'status'>>() : null;
  return { refusal: linkRefusal(link, forwarding, now), forwardingId: link ? String(link.forwardingId) : null };
}

export interface LinkRow {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedReason: string | null;
  deliveries: number;
  accesses: number;
}

export async function linksOfForwarding(forwardingId: mongoose.Types.ObjectId): Promise<LinkRow[]> {
  const links = await ForwardingLinkModel.find({ forwardingId }).sort({ forwardingId: 1, createdAt: -1 }).limit(20).lean<ForwardingLink[]>();
  const counts = await LinkAccessModel.aggregate<{ _id: mongoose.Types.ObjectId; n: number }>([
    { $match: { linkId: trusted({ $in: links.map((l) => l._id) }) } },
    { $group: { _id: '$linkId', n: { $sum: 1 } } },
  ]);
  const byLink = new Map(counts.map((c) => [String(c._id), c.n]));
  return links.map((l) => ({
    id: String(l._id),
    createdAt: l.createdAt,
    expiresAt: l.expiresAt,
    revokedAt: l.revokedAt,
    revokedReason: l.revokedReason,
    deliveries: l.tokenHashes.length,
    accesses: byLink.get(String(l._id)) ?? 0,
  }));
}

/** The latest uses of a forwarding's links, for the officer's page (time, IP, user agent, action). */
export async function accessLogOfForwarding(forwardingId: mongoose.Types.ObjectId, limit = 50) {
  return LinkAccessModel.find({ forwardingId }, { _id: 0, forwardingId: 0 }).sort({ forwardingId: 1, at: -1 }).limit(limit).lean();
}

/** An officer revokes the live links (a leaked email, a wrong recipient). */
export async function revokeLinks(actor: Actor, forwardingId: string, reason: string, ctx: ServiceContext): Promise<number> {
  assertCan(actor, 'cases:write');
  const id = objectId(forwardingId);
  const now = ctx.clock.now();
  return inTransaction(async (session) => {
    // The event names the agency and the slip's number, as every other forwarding event does.
    const forwarding = await ForwardingModel.findById(id, { caseIds: 1, agencyName: 1, documentNumber: 1 })
      .session(session)
      .lean<Pick<Forwarding, '_id' | 'caseIds' | 'agencyName' | 'documentNumber'>>();
    if (!forwarding) throw new NotFoundError('forwarding.errors.notFound');
    const revoked = await revokeLinksWithin(id, actor.id, reason, now, session);
    if (revoked === 0) throw new ConflictError('forwarding.errors.noLiveLink');
    await recordForwardingEvent(forwarding, { id: actor.id, name: actor.name }, 'forwarding.link-revoked', { reason }, now, session);
    return revoked;
  });
}

export function objectId(id: string): mongoose.Types.ObjectId {
  if (typeof id !== 'string' || !/^[a-f0-9]{24}$/i.test(id)) throw new NotFoundError('forwarding.errors.notFound');
  return new mongoose.Types.ObjectId(id);
}
