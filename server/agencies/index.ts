// Competent agencies that matters are forwarded to: what other modules (forwarding, cases) may use.
export { getAgency, getAgencies, listActiveAgencies } from './agencies.queries.js';
export type { AgencySummary, ActiveAgencyFilter } from './agencies.queries.js';
export { suggestCompetentAgencies, createAgency, updateAgency, setAgencyActive } from './agencies.service.js';
export type { CompetentAgency } from './agencies.service.js';
export { importAgencies, AgencyImportError } from './agencies-import.service.js';
export type { AgencyImportResult, AgencyImportRowError } from './agencies-import.service.js';
export { AGENCY_LEVELS, CONTACT_ROLES, SUGGESTION_CASE_TYPES, MAX_SUGGESTIONS, suggestAgencies } from './agencies.rules.js';
export type { AgencyLevel, ContactRole, AgencyContact, SuggestionCaseType, SuggestionInput, SuggestionMatch } from './agencies.rules.js';
export { AgencyModel } from './agency.model.js';
export type { Agency } from './agency.model.js';
export { seedAgencies } from './seed.js';
export type { AgencySeedResult } from './seed.js';
export { agenciesRouter } from './agencies.routes.js';
