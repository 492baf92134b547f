// Rate limits whose counters live in MongoDB, so that several app instances share one budget per
// client and per account instead of multiplying it.
import { rateLimit, type Options, type Store, type ClientRateLimitInfo, type RateLimitRequestHandler } from 'express-rate-limit';
import type mongoose from 'mongoose';
import { TooManyRequestsError } from '../errors.js';
import type { Clock } from '../clock.js';

interface Counter {
  _id: string;
  hits: number;
  resetAt: Date;
}

export class MongoRateLimitStore implements Store {
  private windowMs = 60_000;
  readonly localKeys = false;

  constructor(
    private readonly connection: mongoose.Connection,
    readonly prefix: string,
    private readonly clock: Clock,
  ) {}

  init(options: Options): void {
    this.windowMs = options.windowMs;
  }

  private get counters() {
    return this.connection.collection<Counter>('rate_limits');
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const id = `${this.prefix}:${key}`;
    for (let attempt = 0; attempt < 5; attempt++) {
      const now = this.clock.now();
      const current = await this.counters.findOneAndUpdate(
        { _id: id, resetAt: { $gt: now } },
        { $inc: { hits: 1 } },
        { returnDocument: 'after' },
      );
      if (current) return { totalHits: current.hits, resetTime: current.resetAt };
      try {
        // The window has passed or never started: start a new one. Two requests racing here both
        // try to insert, one gets a duplicate key and loops back to increment the winner's window.
        const fresh = await this.counters.findOneAndUpdate(
          { _id: id, $or: [{ resetAt: { $lte: now } }, { resetAt: { $exists: false } }] },
          { $set: { hits: 1, resetAt: new Date(now.getTime() + this.windowMs) } },
          { upsert: true, returnDocument: 'after' },
        );
        if (fresh) return { totalHits: fresh.hits, resetTime: fresh.resetAt };
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err;
      }
    }
    throw new Error(`rate limit counter ${id} kept changing under contention`);
  }

  async decrement(key: string): Promise<void> {
    await this.counters.updateOne({ _id: `${this.prefix}:${key}`, hits: { $gt: 0 } }, { $inc: { hits: -1 } });
  }

  async resetKey(key: string): Promise<void> {
    await this.counters.deleteOne({ _id: `${this.prefix}:${key}` });
  }
}

export async function ensureRateLimitIndexes(connection: mongoose.Connection): Promise<void> {
  await connection.collection('rate_limits').createIndex({ resetAt: 1 }, { expireAfterSeconds: 0 });
}

export interface LimiterOptions {
  connection: mongoose.Connection;
  clock: Clock;
  name: string;
  windowMinutes: number;
  limit: number;
  key?: (req: Parameters<NonNullable<Options['keyGenerator']>>[0]) => string;
  skipSuccessfulRequests?: boolean;
}

export function createLimiter(options: LimiterOptions): RateLimitRequestHandler {
  return rateLimit({
    windowMs: options.windowMinutes * 60_000,
    limit: options.limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new MongoRateLimitStore(options.connection, options.name, options.clock),
    skipSuccessfulRequests: options.skipSuccessfulRequests ?? false,
    ...(options.key ? { keyGenerator: options.key } : {}),
    handler: (_req, _res, next) => next(new TooManyRequestsError()),
    // Our own keys are validated by us; the library's IPv6 check warns about custom generators.
    validate: { keyGeneratorIpFallback: false },
  });
}
