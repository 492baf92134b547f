// Conformance: GridFS through the driver's GridFSBucket (passes against real MongoDB too).
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { connectClient, type Db, errorOf, GridFSBucket, indexesOf, type MongoClientT, uniqueDbName } from './support.js';

async function download(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

describe('embedded-mongo conformance: GridFS', function () {
  let client: MongoClientT;
  let db: Db;

  before(async function () {
    client = await connectClient();
    db = client.db(uniqueDbName('gridfs'));
  });
  after(async function () {
    await db.dropDatabase();
    await client.close();
  });

  it('uploads a multi-chunk file and downloads it byte for byte (whole and by range)', async function () {
    const bucket = new GridFSBucket(db, { bucketName: 'attachments', chunkSizeBytes: 1000 });
    const data = randomBytes(10_500);
    const upload = bucket.openUploadStream('đơn thư.pdf', { metadata: { caseId: 'c1' } });
    await pipeline(Readable.from([data.subarray(0, 4000), data.subarray(4000)]), upload);
    const id = upload.id;

    const files = await bucket.find({ _id: id }).toArray();
    expect(files).to.have.length(1);
    expect(files[0]).to.deep.include({ length: 10_500, chunkSize: 1000, filename: 'đơn thư.pdf' });
    expect(files[0]?.metadata).to.deep.equal({ caseId: 'c1' });
    expect(await db.collection('attachments.chunks').countDocuments({ files_id: id })).to.equal(11);
    const indexes = (await indexesOf(db.collection('attachments.chunks'))).map((i) => i.key);
    expect(indexes).to.deep.include({ files_id: 1, n: 1 });

    expect((await download(bucket.openDownloadStream(id))).equals(data)).to.equal(true);
    expect((await download(bucket.openDownloadStreamByName('đơn thư.pdf'))).equals(data)).to.equal(true);
    const part = await download(bucket.openDownloadStream(id, { start: 2500, end: 7600 }));
    expect(part.equals(data.subarray(2500, 7600))).to.equal(true);

    await bucket.delete(id);
    expect(await db.collection('attachments.chunks').countDocuments({ files_id: id })).to.equal(0);
    expect(await bucket.find({ _id: id }).toArray()).to.deep.equal([]);
  });

  it('downloading a missing file fails cleanly', async function () {
    const bucket = new GridFSBucket(db, { bucketName: 'empty' });
    const err = await errorOf(download(bucket.openDownloadStreamByName('nope.bin')));
    expect(err.message).to.match(/FileNotFound|file not found/i);
  });
});
