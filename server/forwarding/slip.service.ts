// The slip of a sent forwarding, as PDF bytes: for the email (registered as the 'forwarding-slip'
// paper of the outbox), the agency's page and the officer's download — always the same content.
import { formatDate } from '../platform/dates.js';
import { NotFoundError } from '../platform/errors.js';
import { renderPdf } from '../platform/pdf/index.js';
import { ForwardingModel, type Forwarding } from './forwarding.model.js';
import { objectId } from './links.service.js';
import { forwardingSettings } from './settings.js';
import { slipDocument, type SlipData } from './slip.js';

export function slipDataOf(f: Forwarding): SlipData {
  if (!f.documentNumber || !f.documentDate) throw new NotFoundError('forwarding.errors.notSent');
  const s = forwardingSettings();
  return {
    office: { parentBody: s.OFFICE_PARENT_BODY, name: s.OFFICE_NAME, place: s.OFFICE_PLACE },
    documentNumber: f.documentNumber,
    documentDate: f.documentDate,
    agencyName: f.agencyName,
    items: f.items.map((i) => ({ label: i.label, summary: i.summary, kind: i.kind })),
    confidential: f.confidential,
    request: f.request,
    dueDate: f.deadline ? formatDate(f.deadline.dueAt) : null,
    deadlineBasis: f.deadline?.basis || null,
    signer: { position: 'Lãnh đạo Văn phòng', name: f.approvedBy?.name ?? '' },
  };
}

export async function slipPdfOf(forwardingId: string): Promise<{ bytes: Buffer; forwarding: Forwarding }> {
  const forwarding = await ForwardingModel.findById(objectId(forwardingId)).lean<Forwarding>();
  if (!forwarding) throw new NotFoundError('forwarding.errors.notFound');
  return { bytes: await renderPdf(slipDocument(slipDataOf(forwarding))), forwarding };
}
