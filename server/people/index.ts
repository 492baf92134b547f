export { PersonModel } from './person.model.js';
export type { Person } from './person.model.js';
export { resolvePerson, suggestPeople, mergePeople, onPeopleMerged, getPerson } from './people.service.js';
export type { PersonInput, PersonSuggestion } from './people.service.js';
export { citizenIdProblem, normaliseCitizenId } from './citizen-id.rules.js';
export { peopleRouter } from './people.routes.js';
export type { CasesOfPerson } from './people.routes.js';
export { findPeople } from './people.queries.js';
export { citizenIdField, phoneField, emailField } from './people.schemas.js';
