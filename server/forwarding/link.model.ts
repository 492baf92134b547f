// The agency's secure links and every use of them. A link belongs to one forwarding. Its token is 256
// random bits created when the email is handed to the SMTP server; only SHA-256 hashes are stored
// (one per delivery attempt: a retried email carries a fresh token, and every token it carried works).
import mongoose, { Schema } from 'mongoose';

export interface ForwardingLink {
  _id: mongoose.Types.ObjectId;
  forwardingId: mongoose.Types.ObjectId;
  tokenHashes: string[];
  createdAt: Date;
  createdBy: string;
  expiresAt: Date;
  revokedAt: Date | null;
  revokedBy: string | null;
  revokedReason: string | null;
}

const linkSchema = new Schema<ForwardingLink>(
  {
    forwardingId: { type: Schema.Types.ObjectId, required: true },
    tokenHashes: { type: [String], default: [] },
    createdAt: { type: Date, required: true },
    createdBy: { type: String, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
    revokedBy: { type: String, default: null },
    revokedReason: { type: String, default: null },
  },
  { collection: 'forwarding_links' },
);
linkSchema.index({ tokenHashes: 1 });
linkSchema.index({ forwardingId: 1, createdAt: -1 });

export const ForwardingLinkModel = mongoose.model<ForwardingLink>('ForwardingLink', linkSchema);

export const LINK_ACTIONS = ['landing', 'continue', 'page', 'confirm', 'extension', 'answer', 'download', 'refused'] as const;
export type LinkAction = (typeof LINK_ACTIONS)[number];

export interface LinkAccess {
  _id: mongoose.Types.ObjectId;
  at: Date;
  forwardingId: mongoose.Types.ObjectId | null;
  linkId: mongoose.Types.ObjectId | null;
  action: LinkAction;
  /** Why a use was refused: unknown, expired, revoked, closed. */
  refusal: string | null;
  ip: string | null;
  userAgent: string | null;
}

const accessSchema = new Schema<LinkAccess>(
  {
    at: { type: Date, required: true },
    forwardingId: { type: Schema.Types.ObjectId, default: null },
    linkId: { type: Schema.Types.ObjectId, default: null },
    action: { type: String, enum: LINK_ACTIONS, required: true },
    refusal: { type: String, default: null },
    ip: { type: String, default: null },
    userAgent: { type: String, default: null },
  },
  { collection: 'forwarding_link_access' },
);
accessSchema.index({ forwardingId: 1, at: -1 });
accessSchema.index({ at: -1 });

export const LinkAccessModel = mongoose.model<LinkAccess>('LinkAccess', accessSchema);
