// Server-side sessions in MongoDB, so any app instance can serve any request and signing out or
// disabling a user ends the session everywhere at once. The cookie holds only a random id.
import session from 'express-session';
import MongoStore from 'connect-mongo';
import type { RequestHandler } from 'express';
import type mongoose from 'mongoose';
import type { Clock } from '../clock.js';

export const SESSIONS_COLLECTION = 'sessions';
export const SESSION_COOKIE = 'dn.sid';

declare module 'express-session' {
  interface SessionData {
    /** When the user signed in: the absolute timeout counts from here, whatever the activity. */
    authenticatedAt?: number;
    flash?: FlashMessage[];
    lang?: string;
    /** Password checked, second factor still to come: who, since when, and where to go afterwards. */
    pendingSignIn?: { userId: string; at: number; returnTo: string };
    /** A TOTP secret shown for enrolment and not yet confirmed by a code. */
    pendingTotpSecret?: string;
  }
}

export interface FlashMessage {
  type: 'success' | 'info' | 'warning';
  key: string;
  params?: Record<string, string | number>;
}

export interface SessionOptions {
  connection: mongoose.Connection;
  secret: string;
  idleMinutes: number;
  secureCookie: boolean;
}

export function sessionMiddleware(options: SessionOptions): RequestHandler {
  const store = MongoStore.create({
    client: options.connection.getClient(),
    dbName: options.connection.db?.databaseName,
    collectionName: SESSIONS_COLLECTION,
    ttl: options.idleMinutes * 60,
    // Expired sessions are removed by the TTL index that ensureSessionIndexes creates at start-up
    // (awaited, unlike the store's own background creation, which can race a quick shutdown).
    autoRemove: 'disabled',
    // Stored as a document rather than a string so that all sessions of one user can be found and
    // ended when the user is disabled.
    stringify: false,
    touchAfter: 60,
  });
  return session({
    name: SESSION_COOKIE,
    secret: options.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true, // the idle timeout restarts with each request
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.secureCookie,
      maxAge: options.idleMinutes * 60 * 1000,
    },
  });
}

export async function ensureSessionIndexes(connection: mongoose.Connection): Promise<void> {
  const sessions = connection.collection(SESSIONS_COLLECTION);
  await sessions.createIndex({ expires: 1 }, { expireAfterSeconds: 0 });
  await sessions.createIndex({ 'session.passport.user': 1 });
}

/** Ends the absolute lifetime of a signed-in session regardless of activity. */
export function absoluteTimeout(absoluteMinutes: number, clock: Clock): RequestHandler {
  return (req, res, next) => {
    const startedAt = req.session?.authenticatedAt;
    if (startedAt && clock.now().getTime() - startedAt > absoluteMinutes * 60 * 1000) {
      req.session.destroy(() => {
        res.clearCookie(SESSION_COOKIE);
        res.redirect(303, '/login?expired=1');
      });
      return;
    }
    next();
  };
}

/** Removes every stored session that belongs to the user (sign-out everywhere). */
export async function endSessionsOfUser(connection: mongoose.Connection, userId: string): Promise<number> {
  const result = await connection.collection(SESSIONS_COLLECTION).deleteMany({ 'session.passport.user': userId });
  return result.deletedCount;
}

export function flash(req: { session: { flash?: FlashMessage[] } }, message: FlashMessage): void {
  req.session.flash = [...(req.session.flash ?? []), message];
}
