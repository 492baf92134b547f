// What a service needs to know about the circumstances of a call besides the actor and the input:
// the time (a clock tests can fix) and, for the audit trail, where the request came from.
import type { Clock } from './clock.js';

export interface ServiceContext {
  clock: Clock;
  ip?: string | null;
  requestId?: string | null;
}
