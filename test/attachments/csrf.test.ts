// CSRF on multipart forms: the token travels as the form's first field; without it, or with the
// wrong one, the request is refused with 403 before anything is stored.
import { expect } from 'chai';
import { parseFirstPart, multipartBoundary } from '../../server/attachments/multipart-csrf.js';
import { useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { pageToken, signIn } from '../support/http.js';
import { lettersRoutes, postFiles } from './http.js';
import { samplePdf } from './samples.js';
import { buildUploadApp, expectNothingStored, storedCounts, type UploadAppOptions } from './support.js';

describe('attachments: CSRF on multipart forms', () => {
  describe('reading the first part', () => {
    const b = 'AaB03x';
    const field = (name: string, value: string, extra = '') => `--${b}\r\nContent-Disposition: form-data; name="${name}"${extra}\r\n\r\n${value}\r\n--${b}`;
    const cases: [string, string, ReturnType<typeof parseFirstPart>][] = [
      ['a complete _csrf field', field('_csrf', 'abc123'), { name: '_csrf', isFile: false, value: 'abc123' }],
      ['a field followed by more parts', `${field('_csrf', 'tok')}\r\nContent-Disposition: form-data; name="files"; filename="a.pdf"\r\n\r\n%PDF`, { name: '_csrf', isFile: false, value: 'tok' }],
      ['a file as first part', field('files', '%PDF-1.4', '; filename="a.pdf"'), { name: 'files', isFile: true, value: '%PDF-1.4' }],
      ['an unquoted name', `--${b}\r\nContent-Disposition: form-data; name=_csrf\r\n\r\nx\r\n--${b}`, { name: '_csrf', isFile: false, value: 'x' }],
      ['headers not finished', `--${b}\r\nContent-Disposition: form-data; name="_csrf"\r\n`, 'incomplete'],
      ['value not finished', `--${b}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\nabc`, 'incomplete'],
      ['nothing yet', '', 'incomplete'],
      ['an empty form', `--${b}--\r\n`, null],
      ['a part without Content-Disposition', `--${b}\r\nContent-Type: text/plain\r\n\r\nx\r\n--${b}`, null],
      ['a part that is not form-data', `--${b}\r\nContent-Disposition: attachment; name="_csrf"\r\n\r\nx\r\n--${b}`, null],
    ];
    for (const [label, body, expected] of cases) {
      it(`handles ${label}`, () => {
        expect(parseFirstPart(Buffer.from(body), b)).to.deep.equal(expected);
      });
    }

    it('reads the boundary of a multipart Content-Type only', () => {
      expect(multipartBoundary('multipart/form-data; boundary=----WebKitFormBoundaryx7')).to.equal('----WebKitFormBoundaryx7');
      expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary="a b;c"')).to.equal('a b;c');
      expect(multipartBoundary('application/x-www-form-urlencoded')).to.equal(null);
      expect(multipartBoundary('multipart/form-data')).to.equal(null);
      expect(multipartBoundary(undefined)).to.equal(null);
    });
  });

  describe('over HTTP', () => {
    useTestDatabase();

    async function agentFor(options: UploadAppOptions = {}) {
      const app = buildUploadApp(lettersRoutes(), options);
      return signIn(app, await createTestUser());
    }

    it('accepts a form whose first field is the token', async () => {
      const agent = await agentFor();
      const res = await postFiles(agent, '/t/upload', [{ name: 'a.pdf', data: samplePdf() }]);
      expect(res.status).to.equal(200);
      expect((await storedCounts()).attachments).to.equal(1);
    });

    it('refuses a form without a token with 403 and stores nothing', async () => {
      const agent = await agentFor();
      const res = await postFiles(agent, '/t/upload', [{ name: 'a.pdf', data: samplePdf(300 * 1024) }], { token: null });
      expect(res.status).to.equal(403);
      expect(res.text).to.contain('Biểu mẫu đã hết hạn');
      await expectNothingStored();
    });

    it('refuses a wrong token, and a token that comes after the file, with 403 and stores nothing', async () => {
      const agent = await agentFor();
      const wrong = await postFiles(agent, '/t/upload', [{ name: 'a.pdf', data: samplePdf() }], { token: 'f'.repeat(256) });
      expect(wrong.status).to.equal(403);
      const token = await pageToken(agent, '/t/form');
      const late = await agent.post('/t/upload').attach('files', samplePdf(), { filename: 'a.pdf', contentType: 'application/pdf' }).field('_csrf', token);
      expect(late.status).to.equal(403);
      await expectNothingStored();
    });

    it('accepts the token in the X-CSRF-Token header (scripts)', async () => {
      const agent = await agentFor();
      const token = await pageToken(agent, '/t/form');
      const res = await agent.post('/t/upload').set('X-CSRF-Token', token).attach('files', samplePdf(), { filename: 'a.pdf', contentType: 'application/pdf' });
      expect(res.status).to.equal(200);
    });

    it('needs multipartCsrfField in front of the CSRF check: without it a valid multipart form is refused', async () => {
      const agent = await agentFor({ csrf: 'without-field' });
      const res = await postFiles(agent, '/t/upload', [{ name: 'a.pdf', data: samplePdf() }]);
      expect(res.status).to.equal(403);
      await expectNothingStored();
    });

    it('still refuses a missing token where no global CSRF check runs: the upload parser checks too', async () => {
      const agent = await agentFor({ csrf: 'none' });
      const refused = await postFiles(agent, '/t/upload', [{ name: 'a.pdf', data: samplePdf(300 * 1024) }], { token: null });
      expect(refused.status).to.equal(403);
      await expectNothingStored();
      const token = await pageToken(agent, '/t/form');
      const accepted = await agent.post('/t/upload').set('X-CSRF-Token', token).attach('files', samplePdf(), { filename: 'a.pdf', contentType: 'application/pdf' });
      expect(accepted.status).to.equal(200);
    });
  });
});
