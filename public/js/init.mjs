// Progressive enhancement only: every page works without JavaScript. This wires GOV.UK Frontend's
// components (error summary focus, character counts, …) where the browser supports ES modules.
import { initAll } from '/assets/govuk/govuk-frontend.min.js';

initAll();
