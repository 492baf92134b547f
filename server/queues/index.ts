// Work queues: what is waiting for whom — my cases and drafts, deadlines coming and passed, answers
// to evaluate, drafts to approve, extension requests, agencies chased in vain.
export { queuesRouter } from './queues.routes.js';
export { allQueueCounts, countQueues, listQueue, queueFilter, queueMoment, QUEUE_PAGE_SIZE } from './queues.queries.js';
export type { QueueRow, QueuePage, QueueMoment } from './queues.queries.js';
export { QUEUE_IDS, QUEUES, DUE_SOON_WORKING_DAYS, dueSoonHorizon, homeQueuesFor, isQueueId, maySeeQueue, queuesFor, daysPast } from './queues.rules.js';
export type { QueueId, QueueDefinition, QueueSubject } from './queues.rules.js';
export { queueQuerySchema } from './queues.schemas.js';
export type { QueueQuery, QueueFilters } from './queues.schemas.js';
