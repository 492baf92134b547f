// An upload cut off half-way — the browser closed, the network dropped — leaves nothing behind. Tried
// for real: a raw HTTP request sends part of a multipart body, waits until chunks are in GridFS, then
// destroys the socket.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import supertest from 'supertest';
import { useTestDatabase } from '../support/app.js';
import { createTestUser } from '../support/factories.js';
import { csrfFrom, signInAgent } from '../support/http.js';
import { lettersRoutes } from './http.js';
import { samplePdf } from './samples.js';
import { buildUploadApp, expectNothingStored, storedCounts } from './support.js';

async function until(condition: () => Promise<boolean>, what: string, withinMs = 5000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('attachments: an interrupted upload', () => {
  useTestDatabase();
  let server: http.Server;

  beforeEach(async () => {
    server = buildUploadApp(lettersRoutes()).listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
  });
  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('removes the chunks, the file and its attachment document when the client disconnects mid-file', async () => {
    const user = await createTestUser();
    const agent = supertest.agent(server);
    await signInAgent(agent, user);
    const page = await agent.get('/t/form');
    const token = csrfFrom(page.text);
    const cookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    expect(cookie).to.match(/dn\.sid=/);

    const boundary = '----dannguyen-abort-test';
    const pdf = samplePdf(2 * 1024 * 1024);
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="don-dai.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const { port } = server.address() as AddressInfo;
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/t/upload',
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + pdf.length + tail.length },
    });
    request.on('error', () => undefined); // the socket is destroyed on purpose
    const answered = new Promise<number | null>((resolve) => {
      request.on('response', (res) => resolve(res.statusCode ?? null));
      request.on('close', () => resolve(null));
    });

    // Send the fields and the first 600 KB of the file, and wait until the server has written chunks.
    request.write(head);
    request.write(pdf.subarray(0, 600 * 1024));
    await until(async () => (await storedCounts()).chunks >= 2, 'chunks of the half-sent file');
    const midway = await storedCounts();
    expect(midway.attachments).to.equal(1);
    expect(midway.files).to.equal(0); // a GridFS file is complete only at its end

    request.destroy();
    expect(await answered).to.equal(null); // no answer ever reached the client
    await expectNothingStored(5000);
  });

  it('removes earlier complete files of the same request too', async () => {
    const user = await createTestUser();
    const agent = supertest.agent(server);
    await signInAgent(agent, user);
    const page = await agent.get('/t/form');
    const token = csrfFrom(page.text);
    const cookie = ([] as string[]).concat(page.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');

    const boundary = 'xYz-abort-2';
    const first = samplePdf(10 * 1024);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`),
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="1.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      first,
      Buffer.from(`\r\n--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="2.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      samplePdf(400 * 1024).subarray(0, 300 * 1024),
    ]);
    const { port } = server.address() as AddressInfo;
    const request = http.request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/t/upload',
      headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': body.length + 500 * 1024 },
    });
    request.on('error', () => undefined);
    request.write(body);
    await until(async () => (await storedCounts()).files >= 1 && (await storedCounts()).chunks >= 2, 'the first file complete and the second under way');
    request.destroy();
    await expectNothingStored(5000);
  });
});
