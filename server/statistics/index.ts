// Statistics and the office's periodic report.
export { statisticsRouter } from './statistics.routes.js';
export { computeStatistics, resolvePeriod } from './statistics.service.js';
export type { Statistics } from './statistics.service.js';
export { PERIOD_KINDS } from './period.rules.js';
export type { Period, PeriodKind } from './period.rules.js';
export { buildPeriodicReport } from './report.content.js';
export type { PeriodicReport } from './report.content.js';
