// The second factor: a TOTP authenticator app (RFC 6238, 30-second steps, 6 digits). Enrolment shows a
// new secret and is confirmed by a first valid code; sign-in accepts a code once (never the same time
// step twice) with one step of clock drift either way.
import mongoose, { trusted } from 'mongoose';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { assertCan, type Actor } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/transaction.js';
import { NotFoundError, ValidationError } from '../platform/errors.js';
import { UserModel, type User } from './user.model.js';
import { ACTOR_FIELDS, toActor } from './users.service.js';

const ISSUER = 'Dân Nguyện';
const DRIFT_SECONDS = 30;

export interface Enrolment {
  secret: string;
  uri: string;
  qrSvgDataUrl: string;
}

export async function newEnrolment(actor: Actor, secret = generateSecret()): Promise<Enrolment> {
  const uri = generateURI({ issuer: ISSUER, label: actor.email, secret });
  const svg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, uri, qrSvgDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
}

/** The time step the code matches, or null. Codes are 6 digits; spaces typed by users are ignored. */
async function matchingStep(secret: string, code: string, ctx: ServiceContext, afterStep: number | null): Promise<number | null> {
  const token = code.replace(/\s+/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(ctx.clock.now().getTime() / 1000),
    epochTolerance: DRIFT_SECONDS,
    ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
  });
  // The functional API's result type also covers HOTP, which has no time step.
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

export async function confirmEnrolment(actor: Actor, secret: string, code: string, ctx: ServiceContext): Promise<void> {
  if (!/^[A-Z2-7]{16,64}$/.test(secret)) throw new ValidationError({ code: 'users.twoFactor.expired' });
  const step = await matchingStep(secret, code, ctx, null);
  if (step === null) throw new ValidationError({ code: 'users.twoFactor.wrongCode' });
  await inTransaction(async (session) => {
    await UserModel.updateOne(
      { _id: new mongoose.Types.ObjectId(actor.id) },
      { $set: { totpSecret: secret, totpEnabledAt: ctx.clock.now(), totpLastStep: step } },
      { session },
    );
    await recordAudit({ action: 'user.two-factor-enabled', at: ctx.clock.now(), actor, target: { type: 'user', id: actor.id }, ip: ctx.ip, requestId: ctx.requestId }, session);
  });
}

/**
 * Checks the second step of a sign-in. The accepted step is recorded with a conditional update, so
 * two requests racing with the same code cannot both succeed.
 */
export async function verifySecondFactor(userId: string, code: string, ctx: ServiceContext): Promise<Actor | null> {
  if (!mongoose.isValidObjectId(userId)) return null;
  const user = await UserModel.findById(userId, { ...ACTOR_FIELDS, totpSecret: 1, totpLastStep: 1 }).lean<User>();
  if (!user?.totpSecret || user.disabled) return null;
  const step = await matchingStep(user.totpSecret, code, ctx, user.totpLastStep ?? null);
  const accepted =
    step !== null &&
    (
      await UserModel.updateOne(
        { _id: user._id, $or: [{ totpLastStep: null }, { totpLastStep: trusted({ $lt: step }) }] },
        { $set: { totpLastStep: step, lastSignInAt: ctx.clock.now() } },
      )
    ).modifiedCount === 1;
  await recordAudit({
    action: accepted ? 'auth.sign-in' : 'auth.sign-in-failed',
    at: ctx.clock.now(),
    actor: { id: String(user._id), email: user.email },
    ip: ctx.ip,
    requestId: ctx.requestId,
    details: accepted ? { secondFactor: true } : { reason: 'wrong-second-factor' },
  });
  return accepted ? toActor(user) : null;
}

export async function resetTwoFactor(actor: Actor, userId: string, ctx: ServiceContext): Promise<void> {
  assertCan(actor, 'users:manage');
  if (!mongoose.isValidObjectId(userId)) throw new NotFoundError('users.errors.notFound');
  await inTransaction(async (session) => {
    const result = await UserModel.updateOne(
      { _id: new mongoose.Types.ObjectId(userId) },
      { $set: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } },
      { session },
    );
    if (result.matchedCount === 0) throw new NotFoundError('users.errors.notFound');
    await recordAudit({ action: 'user.two-factor-reset', at: ctx.clock.now(), actor, target: { type: 'user', id: userId }, ip: ctx.ip, requestId: ctx.requestId }, session);
  });
}
