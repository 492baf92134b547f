// Forwarding matters to competent agencies (chuyển đơn): drafts, approval, the slip, the agency's
// secure link and page, answers and the office's evaluation.
import { registerEmailPdf, registerSecretLink } from '../notifications/index.js';
import { caseForwardableProvider } from './case-provider.js';
import { registerForwardableProvider } from './forwardable.js';
import { tokenPathForDelivery } from './links.service.js';
import { slipPdfOf } from './slip.service.js';

// Registered on import, so the app and the worker (which import this module through server/jobs.ts)
// both render slips and create link tokens when they send the emails.
registerForwardableProvider(caseForwardableProvider);
registerEmailPdf('forwarding-slip', async (params) => (await slipPdfOf(String(params.forwardingId))).bytes);
registerSecretLink('agency-link', tokenPathForDelivery);

export { registerForwardableProvider, FORWARDABLE_KINDS } from './forwardable.js';
export { listenToCaseForwardings } from './case-listeners.js';
export type { CaseForwardingListener } from './case-listeners.js';
export type { ForwardableKind, ForwardableRef, ForwardableMatter, ForwardableProvider, ForwardingFact, AnswerFact, EvaluationFact, EvaluationVerdict } from './forwardable.js';
export { ForwardingModel } from './forwarding.model.js';
export type { Forwarding, ForwardingItem, ExtensionRequest } from './forwarding.model.js';
export { ForwardingAnswerModel } from './answer.model.js';
export type { ForwardingAnswer } from './answer.model.js';
export { ForwardingLinkModel, LinkAccessModel } from './link.model.js';
export * from './forwarding.rules.js';
export { draftForwardings, approveForwarding, returnForwarding, resubmitForwarding, cancelForwarding, reissueLink, FORWARDING_RULE_KEYS, tellProviders, factOf, emailAgency } from './forwarding.service.js';
export type { DraftForwardingInput, DraftResult, ForwardingRuleKey } from './forwarding.service.js';
export { revokeLinks, linkForFollowUp } from './links.service.js';
export { configureForwarding, forwardingSettings } from './settings.js';
export { redactIdentities, REDACTED } from '../cases/index.js';
export { agencyLinkRouter } from './agency.routes.js';
export { confirmReceipt, requestExtension, submitAnswer, AgencyLinkRefusedError } from './agency.service.js';
export type { AgencyAccess } from './agency.service.js';
export { agencyViewOf } from './agency.queries.js';
export { forwardingRouter } from './forwarding.routes.js';
export { listForwardings, forwardingsOfCase, getForwardingDetail } from './forwarding.queries.js';
export type { ForwardingRow, ForwardingDetail } from './forwarding.queries.js';
export { evaluateForwarding, decideExtension, chaseForwarding } from './evaluation.service.js';
export type { EvaluationInput, ExtensionDecision } from './evaluation.service.js';
