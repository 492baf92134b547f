export { casefileRouter } from './casefile.routes.js';
