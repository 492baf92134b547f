// Back-pressure of the streamed exports, on real streams: waiting for room in a stream (a Node stream,
// or the `readable-stream` kind exceljs's zip uses) and giving up when the client goes away — without
// leaving a listener behind each time — and an XLSX export of 100,000 rows that never lets its
// uncompressed XML pile up ahead of the zip's compressor.
import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { expect } from 'chai';
import { ClientGoneError, roomIn, writable } from '../../server/exports/stream-control.js';
import { writeXlsx } from '../../server/exports/xlsx.js';

/** A writable whose writes complete only when `release()` is called. */
function heldWritable(): { stream: Writable; release: () => void } {
  const pending: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark: 4,
    write(_chunk, _enc, cb) {
      pending.push(cb);
    },
  });
  return { stream, release: () => pending.splice(0).forEach((cb) => cb()) };
}

describe('exports: back-pressure', () => {
  it('resolves at once when the stream has room, and after its drain when it has none', async () => {
    const { stream, release } = heldWritable();
    await roomIn(stream, stream);
    stream.write('more than four bytes');
    expect(stream.writableNeedDrain).to.equal(true);
    let done = false;
    const waiting = roomIn(stream, stream).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).to.equal(false);
    release();
    await waiting;
    expect(done).to.equal(true);
  });

  it('gives up with ClientGoneError when the response closes while waiting, or is already gone', async () => {
    const { stream } = heldWritable();
    stream.write('more than four bytes');
    const out = new PassThrough();
    const waiting = roomIn(stream, out);
    out.destroy();
    let error: unknown;
    await waiting.catch((err: unknown) => (error = err));
    expect(error).to.be.instanceOf(ClientGoneError);
    let again: unknown;
    await writable(out).catch((err: unknown) => (again = err));
    expect(again).to.be.instanceOf(ClientGoneError);
  });

  it('reads the state of a readable-stream writable, which has no writableNeedDrain', async () => {
    const sink = Object.assign(new EventEmitter(), { _writableState: { needDrain: true } });
    const out = new PassThrough();
    let done = false;
    const waiting = roomIn(sink, out).then(() => (done = true));
    await new Promise((r) => setImmediate(r));
    expect(done).to.equal(false);
    sink._writableState.needDrain = false;
    sink.emit('drain');
    await waiting;
    sink._writableState.needDrain = false;
    await roomIn(sink, out);
  });

  it('leaves no listener behind, however often it waits', async () => {
    const { stream, release } = heldWritable();
    const out = new PassThrough();
    for (let i = 0; i < 50; i++) {
      stream.write('more than four bytes');
      const waiting = roomIn(stream, out);
      release();
      await waiting;
    }
    expect([stream.listenerCount('drain'), out.listenerCount('close')]).to.deep.equal([0, 0]);
  });

  it('exports 100,000 rows to XLSX without piling the uncompressed sheet up in memory', async function () {
    this.timeout(120_000);
    const rows = 100_000;
    const columns = Array.from({ length: 12 }, (_, i) => ({ header: `Cột ${i}`, value: (r: number) => `Nội dung cột ${i} của dòng ${r}: ${'khiếu nại về đất đai '.repeat(4)}` }));
    const start = process.memoryUsage().arrayBuffers;
    let peak = 0;
    // Rows come without ever waiting for the event loop: only the writer's own waits let the zip work.
    async function* source(): AsyncGenerator<number> {
      for (let r = 0; r < rows; r++) {
        if (r % 1000 === 0) {
          peak = Math.max(peak, process.memoryUsage().arrayBuffers - start);
          await Promise.resolve(); // a microtask: the event loop, where the zip works, never gets a turn here
        }
        yield r;
      }
    }
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const written = await writeXlsx(out, columns, source(), { sheetName: 'Vụ việc', creator: 'Dân Nguyện', createdAt: new Date(0) });
    expect(written).to.equal(rows);
    // About 190 MB of XML went through the compressor; it never held more than a few chunks of it.
    expect(peak / 2 ** 20, 'MB held in buffers').to.be.below(64);
    // A whole zip (its end record is the last thing written); what the rows hold is checked by the
    // export tests that read workbooks back.
    const body = Buffer.concat(chunks);
    expect(body.subarray(0, 2).toString('latin1')).to.equal('PK');
    expect(body.readUInt32LE(body.length - 22)).to.equal(0x06054b50);
  });
});
