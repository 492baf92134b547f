// Files of a matter that an officer may share with the agency: the letters' scans, never a file
// marked confidential (it may show who filed a denunciation).
import { trusted, type Types } from 'mongoose';
import { AttachmentModel } from '../attachments/index.js';
import type { Actor } from '../access/index.js';
import { lettersOfCase } from '../letters/index.js';

export interface ShareableFile {
  id: string;
  name: string;
  size: number;
  caseId: string;
}

export async function shareableFilesOfCases(actor: Actor, caseIds: readonly string[]): Promise<ShareableFile[]> {
  const files: ShareableFile[] = [];
  for (const caseId of caseIds) {
    const letters = await lettersOfCase(actor, caseId);
    if (letters.length === 0) continue;
    const docs = await AttachmentModel.find(
      { 'owner.type': 'letter', 'owner.id': trusted({ $in: letters.map((l) => l.id) }), status: 'linked', deletedAt: null, confidential: false },
      { originalName: 1, size: 1 },
    )
      .sort({ 'owner.type': 1, 'owner.id': 1, uploadedAt: 1, _id: 1 })
      .lean<{ _id: Types.ObjectId; originalName: string; size: number }[]>();
    files.push(...docs.map((d) => ({ id: String(d._id), name: d.originalName, size: d.size, caseId })));
  }
  return files;
}
