// Conformance: aggregation pipelines (passes against real MongoDB too).
import { expect } from 'chai';
import { connectClient, cursorCommand, type Db, errorOf, type MongoClientT, uniqueDbName } from './support.js';

describe('embedded-mongo conformance: aggregate', function () {
  let client: MongoClientT;
  let db: Db;

  before(async function () {
    client = await connectClient();
    db = client.db(uniqueDbName('agg'));
    await db.collection('cases').insertMany([
      { _id: 1, district: 'Ba Đình', status: 'open', tags: ['đất đai', 'xây dựng'], agencyId: 10, n: 3 },
      { _id: 2, district: 'Ba Đình', status: 'closed', tags: ['đất đai'], agencyId: 11, n: 5 },
      { _id: 3, district: 'Hoàn Kiếm', status: 'open', tags: [], agencyId: 10, n: 7 },
      { _id: 4, district: 'Tây Hồ', status: 'open', tags: ['môi trường'], agencyId: 12, n: 1 },
    ] as never[]);
    await db.collection('agencies').insertMany([
      { _id: 10, name: 'Sở Tài nguyên' },
      { _id: 11, name: 'Sở Xây dựng' },
    ] as never[]);
  });
  after(async function () {
    await db.dropDatabase();
    await client.close();
  });

  const cases = (): ReturnType<Db['collection']> => db.collection('cases');

  it('$match + $group + $sort with accumulators', async function () {
    const out = await cases()
      .aggregate([{ $match: { status: 'open' } }, { $group: { _id: '$district', total: { $sum: '$n' }, count: { $sum: 1 }, ids: { $push: '$_id' } } }, { $sort: { total: -1 } }])
      .toArray();
    expect(out).to.deep.equal([
      { _id: 'Hoàn Kiếm', total: 7, count: 1, ids: [3] },
      { _id: 'Ba Đình', total: 3, count: 1, ids: [1] },
      { _id: 'Tây Hồ', total: 1, count: 1, ids: [4] },
    ]);
  });

  it('$unwind, $project, $addFields, $skip, $limit, $count', async function () {
    const tags = await cases()
      .aggregate([{ $unwind: '$tags' }, { $project: { _id: 0, tag: '$tags', id: '$_id' } }, { $addFields: { len: { $strLenCP: '$tag' } } }, { $sort: { id: 1, tag: 1 } }, { $skip: 1 }, { $limit: 2 }])
      .toArray();
    expect(tags).to.deep.equal([
      { tag: 'đất đai', id: 1, len: 7 },
      { tag: 'đất đai', id: 2, len: 7 },
    ]);
    const counted = await cases().aggregate([{ $match: { n: { $gt: 2 } } }, { $count: 'many' }]).toArray();
    expect(counted).to.deep.equal([{ many: 3 }]);
  });

  it('$lookup joins another collection of the same database', async function () {
    const out = await cases()
      .aggregate([{ $sort: { _id: 1 } }, { $lookup: { from: 'agencies', localField: 'agencyId', foreignField: '_id', as: 'agency' } }, { $project: { names: '$agency.name' } }])
      .toArray();
    expect(out).to.deep.equal([
      { _id: 1, names: ['Sở Tài nguyên'] },
      { _id: 2, names: ['Sở Xây dựng'] },
      { _id: 3, names: ['Sở Tài nguyên'] },
      { _id: 4, names: [] },
    ]);
  });

  it('$lookup by equality: arrays on either side, nested paths, missing values joining missing or null fields, and later stages', async function () {
    const people = db.collection('lookup_people');
    const groups = db.collection('lookup_groups');
    await people.insertMany([
      { _id: 'a', name: 'An', groupIds: [1, 2], home: { unit: 'U1' } },
      { _id: 'b', name: 'Bình', groupIds: 2, home: { unit: 'U2' } },
      { _id: 'c', name: 'Chi', home: {} },
    ] as never[]);
    await groups.insertMany([
      { _id: 1, label: 'Tổ 1', units: ['U1', 'U3'] },
      { _id: 2, label: 'Tổ 2', units: ['U2'] },
      { _id: 3, label: 'Tổ không đơn vị' },
      { _id: 4, label: 'Tổ null', units: null },
    ] as never[]);
    const joined = await people
      .aggregate([
        { $sort: { _id: 1 } },
        { $lookup: { from: 'lookup_groups', localField: 'groupIds', foreignField: '_id', as: 'groups' } },
        { $lookup: { from: 'lookup_groups', localField: 'home.unit', foreignField: 'units', as: 'at.home' } },
        { $project: { groups: '$groups.label', home: '$at.home.label' } },
      ])
      .toArray();
    expect(joined).to.deep.equal([
      { _id: 'a', groups: ['Tổ 1', 'Tổ 2'], home: ['Tổ 1'] },
      { _id: 'b', groups: ['Tổ 2'], home: ['Tổ 2'] },
      // No groupIds: joins the groups whose _id is null or missing (none); no unit: those without units.
      { _id: 'c', groups: [], home: ['Tổ không đơn vị', 'Tổ null'] },
    ]);
    // A join followed by stages that change documents leaves the stored ones as they were.
    const unwound = await people.aggregate([{ $match: { _id: 'a' } }, { $lookup: { from: 'lookup_groups', localField: 'groupIds', foreignField: '_id', as: 'g' } }, { $unwind: '$g' }, { $set: { 'g.label': 'đổi' } }, { $count: 'n' }]).toArray();
    expect(unwound).to.deep.equal([{ n: 2 }]);
    expect(await groups.findOne({ _id: 1 } as never)).to.deep.include({ label: 'Tổ 1' });
    // After the join the documents are copies at their top level: unwinding an empty list there (which
    // removes the field) and projecting leave the stored documents as they were.
    await people.insertOne({ _id: 'd', name: 'Dung', groupIds: [], home: { unit: 'U1' } } as never);
    const flat = await people.aggregate([{ $match: { _id: 'd' } }, { $lookup: { from: 'lookup_groups', localField: 'home.unit', foreignField: 'units', as: 'g' } }, { $unwind: { path: '$groupIds', preserveNullAndEmptyArrays: true } }, { $project: { name: 1, g: '$g.label' } }]).toArray();
    expect(flat).to.deep.equal([{ _id: 'd', name: 'Dung', g: ['Tổ 1'] }]);
    expect(await people.findOne({ _id: 'd' } as never)).to.deep.equal({ _id: 'd', name: 'Dung', groupIds: [], home: { unit: 'U1' } });
  });

  it('$lookup inside a transaction sees the transaction’s own writes', async function () {
    const session = client.startSession();
    let seen: unknown;
    try {
      session.startTransaction();
      await db.collection('agencies').insertOne({ _id: 12, name: 'Sở Văn hóa' } as never, { session });
      seen = await cases().aggregate([{ $match: { _id: 4 } }, { $lookup: { from: 'agencies', localField: 'agencyId', foreignField: '_id', as: 'agency' } }, { $project: { names: '$agency.name' } }], { session }).toArray();
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    expect(seen).to.deep.equal([{ _id: 4, names: ['Sở Văn hóa'] }]);
    expect(await db.collection('agencies').findOne({ _id: 12 } as never)).to.equal(null);
  });

  it('$facet runs sub-pipelines over the same input', async function () {
    const [out] = await cases()
      .aggregate([{ $facet: { byStatus: [{ $group: { _id: '$status', c: { $sum: 1 } } }, { $sort: { _id: 1 } }], total: [{ $count: 'n' }] } }])
      .toArray();
    expect(out).to.deep.equal({ byStatus: [{ _id: 'closed', c: 1 }, { _id: 'open', c: 3 }], total: [{ n: 4 }] });
  });

  it('$facet sub-pipelines that rewrite documents do not see each other’s changes nor change what is stored', async function () {
    const [out] = await cases()
      .aggregate([
        { $match: { _id: { $in: [1, 2] } } },
        { $lookup: { from: 'agencies', localField: 'agencyId', foreignField: '_id', as: 'agency' } },
        {
          $facet: {
            tags: [{ $unwind: '$tags' }, { $group: { _id: '$tags', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
            rewritten: [{ $unwind: '$agency' }, { $addFields: { 'agency.name': 'x', n: 0 } }, { $project: { n: 1, name: '$agency.name' } }],
            untouched: [{ $project: { tags: 1, n: 1, names: '$agency.name' } }],
            joined: [{ $lookup: { from: 'agencies', localField: 'agencyId', foreignField: '_id', as: 'again' } }, { $project: { c: { $size: '$again' } } }],
          },
        },
      ])
      .toArray();
    expect(out).to.deep.equal({
      tags: [{ _id: 'xây dựng', n: 1 }, { _id: 'đất đai', n: 2 }],
      rewritten: [{ _id: 1, n: 0, name: 'x' }, { _id: 2, n: 0, name: 'x' }],
      untouched: [{ _id: 1, tags: ['đất đai', 'xây dựng'], n: 3, names: ['Sở Tài nguyên'] }, { _id: 2, tags: ['đất đai'], n: 5, names: ['Sở Xây dựng'] }],
      joined: [{ _id: 1, c: 1 }, { _id: 2, c: 1 }],
    });
    expect(await cases().findOne({ _id: 1 } as never)).to.deep.include({ tags: ['đất đai', 'xây dựng'], n: 3 });
    expect(await db.collection('agencies').findOne({ _id: 10 } as never)).to.deep.equal({ _id: 10, name: 'Sở Tài nguyên' });
  });

  it('a $facet inside a $facet is refused', async function () {
    const err = await errorOf(cases().aggregate([{ $facet: { a: [{ $facet: { b: [{ $count: 'n' }] } }] } }]).toArray());
    expect(err.code).to.equal(40600);
  });

  it('returns results through a cursor with batches', async function () {
    const big = db.collection('big');
    await big.insertMany(Array.from({ length: 1500 }, (_, i) => ({ _id: i, g: i % 3 })) as never[]);
    const out = await big.aggregate([{ $match: { g: 1 } }, { $sort: { _id: -1 } }], { batchSize: 50 }).toArray();
    expect(out).to.have.length(500);
    expect(out[0]?._id).to.equal(1498);
    const reply = await cursorCommand(db, { aggregate: 'big', pipeline: [{ $match: { g: 0 } }], cursor: { batchSize: 7 } });
    expect(reply.cursor.firstBatch).to.have.length(7);
    expect(String(reply.cursor.id)).to.not.equal('0');
  });

  it('does not change stored documents when stages rewrite them', async function () {
    await cases().aggregate([{ $addFields: { n: 0, 'extra.x': 1 } }, { $unset: 'district' }]).toArray();
    const doc = await cases().findOne({ _id: 1 } as never);
    expect(doc).to.include({ n: 3, district: 'Ba Đình' });
    expect(doc).to.not.have.property('extra');
  });

  it('an unknown stage is an error reply, not a crash', async function () {
    const err = await errorOf(cases().aggregate([{ $frobnicate: {} }]).toArray());
    expect(err.code).to.equal(40324);
    expect(await cases().countDocuments()).to.equal(4);
  });
});
