// The meetings list and a session's petitions as CSV and XLSX. Mounted before the meeting pages, whose
// "/:id" would otherwise take "export.csv" for a meeting id.
import { Router, type Request } from 'express';
import { EXPORT_FORMATS } from '../exports/index.js';
import type { AppDeps } from '../platform/deps.js';
import { meetingListQuerySchema } from './meetings.queries.js';
import { sendMeetingsExport, sendSessionPetitionsExport, type MeetingsExportRequest } from './meetings.export.js';

export function meetingExportsRouter(deps: AppDeps): Router {
  const router = Router();
  const exportRequest = (req: Request): MeetingsExportRequest => ({ t: deps.translator.t(req.lang), lang: req.lang, now: deps.clock.now(), creator: deps.config.OFFICE_NAME });
  for (const format of EXPORT_FORMATS) {
    router.get(`/export.${format}`, async (req, res) => {
      await sendMeetingsExport(res, req.user!, meetingListQuerySchema.parse(req.query), format, exportRequest(req));
    });
    router.get(`/sessions/:id/petitions.${format}`, async (req, res) => {
      await sendSessionPetitionsExport(res, req.user!, String(req.params.id ?? ''), format, exportRequest(req));
    });
  }
  return router;
}
