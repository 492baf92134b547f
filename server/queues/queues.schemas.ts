// The queue page's filters, from the query string. Like the other lists, anything malformed is
// ignored (the default applies) rather than refused: a filter link can never cause an error page.
import { z } from 'zod';
import { QUEUE_IDS } from './queues.rules.js';

const objectIdParam = z.string().regex(/^[a-f0-9]{24}$/i).optional().catch(undefined);
const codeParam = z.string().max(50).regex(/^[\w.-]+$/).optional().catch(undefined);

export const queueQuerySchema = z.object({
  queue: z.enum(QUEUE_IDS).optional().catch(undefined),
  agency: objectIdParam,
  field: codeParam,
  unit: codeParam,
  officer: objectIdParam,
  /** The last row of the previous page (keyset pagination). */
  after: objectIdParam,
});
export type QueueQuery = z.infer<typeof queueQuerySchema>;

export type QueueFilters = Pick<QueueQuery, 'agency' | 'field' | 'unit' | 'officer'>;

/** The filters as query-string pairs, for links that keep them (empty ones left out). */
export function filterParams(filters: QueueFilters): Record<string, string> {
  const params: Record<string, string> = {};
  for (const name of ['agency', 'field', 'unit', 'officer'] as const) {
    const value = filters[name];
    if (value) params[name] = value;
  }
  return params;
}
