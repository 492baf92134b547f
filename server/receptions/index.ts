export { ReceptionModel, RECEPTION_KINDS, RECEPTION_OUTCOMES, GROUP_VISIT_MIN_PEOPLE } from './reception.model.js';
export type { Reception } from './reception.model.js';
export { logWalkIn } from './receptions.service.js';
export { listReceptions, receptionsOfCase } from './receptions.queries.js';
export type { ReceptionRow } from './receptions.queries.js';
export { receptionsRouter } from './receptions.routes.js';
export { walkInSchema, vietnamInstant } from './receptions.schemas.js';
export { intakeOptions, listCaseOfficers } from './intake-options.js';
export type { IntakeOptions, Option } from './intake-options.js';
