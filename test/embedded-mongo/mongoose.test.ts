// Conformance: what the app does through mongoose 8 (passes against real MongoDB too).
import { expect } from 'chai';
import mongoose, { Schema } from 'mongoose';
import { getTestMongoUri } from '../support/db.js';
import { errorOf, uniqueDbName } from './support.js';

describe('embedded-mongo conformance: mongoose', function () {
  let conn: mongoose.Connection;
  const personSchema = new Schema(
    {
      email: { type: String, required: true, unique: true, lowercase: true },
      name: String,
      age: Number,
      tags: [String],
      address: { city: String, ward: String },
      version: { type: Number, default: 0 },
    },
    { timestamps: true, optimisticConcurrency: true },
  );
  personSchema.index({ age: -1, _id: 1 });
  const petSchema = new Schema({ name: String, owner: { type: Schema.Types.ObjectId, ref: 'Person' }, kind: { type: String, enum: ['cat', 'dog'] } });

  let Person: mongoose.Model<mongoose.InferSchemaType<typeof personSchema>>;
  let Pet: mongoose.Model<mongoose.InferSchemaType<typeof petSchema>>;

  before(async function () {
    // A separate Mongoose instance: the app sets global options (e.g. sanitizeFilter) on the default one.
    const isolated = new mongoose.Mongoose();
    conn = await isolated.createConnection(await getTestMongoUri(), { dbName: uniqueDbName('mongoose'), serverSelectionTimeoutMS: 10_000 }).asPromise();
    Person = conn.model('Person', personSchema);
    Pet = conn.model('Pet', petSchema);
    await Person.init();
    await Pet.init();
  });
  after(async function () {
    await conn.dropDatabase();
    await conn.close();
  });
  beforeEach(async function () {
    await Person.deleteMany({});
    await Pet.deleteMany({});
  });

  it('creates, finds, sorts, paginates and counts', async function () {
    await Person.create([
      { email: 'A@x.vn', name: 'An', age: 30, tags: ['a'] },
      { email: 'b@x.vn', name: 'Bình', age: 40 },
      { email: 'c@x.vn', name: 'Chi', age: 20, address: { city: 'Huế' } },
    ]);
    const page = await Person.find({ age: { $gte: 20 } }).sort({ age: -1, _id: 1 }).skip(1).limit(1).lean();
    expect(page.map((p) => p.name)).to.deep.equal(['An']);
    expect(await Person.countDocuments({ 'address.city': 'Huế' })).to.equal(1);
    expect(await Person.estimatedDocumentCount()).to.equal(3);
    const found = await Person.findOne({ email: 'a@x.vn' });
    expect(found?.createdAt).to.be.instanceOf(Date);
    expect(await Person.exists({ name: 'Chi' })).to.not.equal(null);
  });

  it('unique violations surface as E11000 errors mongoose code can catch', async function () {
    await Person.create({ email: 'dup@x.vn' });
    const err = await errorOf(Person.create({ email: 'DUP@x.vn' }));
    expect(err.code).to.equal(11000);
    expect(err.keyValue).to.deep.equal({ email: 'dup@x.vn' });
  });

  it('document save, optimistic concurrency and findOneAndUpdate', async function () {
    const p = await Person.create({ email: 'save@x.vn', age: 1 });
    p.age = 2;
    await p.save();
    const stale = await Person.findById(p._id);
    const fresh = await Person.findById(p._id);
    fresh!.age = 3;
    await fresh!.save();
    stale!.age = 4;
    const err = await errorOf(stale!.save());
    expect(err.message).to.match(/No matching document found|version/i);
    const updated = await Person.findOneAndUpdate({ _id: p._id }, { $inc: { age: 10 } }, { new: true }).lean();
    expect(updated?.age).to.equal(13);
    const upserted = await Person.findOneAndUpdate({ email: 'up@x.vn' }, { $setOnInsert: { age: 5 } }, { upsert: true, new: true }).lean();
    expect(upserted?.age).to.equal(5);
  });

  it('populate and aggregate with $lookup', async function () {
    const owner = await Person.create({ email: 'o@x.vn', name: 'Owner' });
    await Pet.create([
      { name: 'Mướp', owner: owner._id, kind: 'cat' },
      { name: 'Vàng', owner: owner._id, kind: 'dog' },
    ]);
    const pets = await Pet.find().sort({ name: 1 }).populate<{ owner: { name: string } }>('owner').lean();
    expect(pets.map((x) => x.owner.name)).to.deep.equal(['Owner', 'Owner']);
    const agg = await Person.aggregate<{ n: number }>([{ $lookup: { from: Pet.collection.name, localField: '_id', foreignField: 'owner', as: 'pets' } }, { $project: { n: { $size: '$pets' } } }]);
    expect(agg.map((a) => a.n)).to.deep.equal([2]);
  });

  it('updateMany, deleteOne, distinct and bulkWrite', async function () {
    await Person.create([
      { email: '1@x.vn', tags: ['x', 'y'] },
      { email: '2@x.vn', tags: ['y'] },
    ]);
    const r = await Person.updateMany({ tags: 'y' }, { $addToSet: { tags: 'z' } });
    expect(r.modifiedCount).to.equal(2);
    expect((await Person.distinct('tags')).sort()).to.deep.equal(['x', 'y', 'z']);
    const bulk = await Person.bulkWrite([
      { insertOne: { document: { email: '3@x.vn' } } },
      { updateOne: { filter: { email: '1@x.vn' }, update: { $set: { name: 'One' } } } },
      { deleteOne: { filter: { email: '2@x.vn' } } },
    ]);
    expect([bulk.insertedCount, bulk.modifiedCount, bulk.deletedCount]).to.deep.equal([1, 1, 1]);
  });

  it('transactions through mongoose sessions commit and abort', async function () {
    await conn.transaction(async (session) => {
      await Person.create([{ email: 't1@x.vn' }], { session });
      await Person.updateOne({ email: 't1@x.vn' }, { age: 9 }, { session });
    });
    expect((await Person.findOne({ email: 't1@x.vn' }).lean())?.age).to.equal(9);
    const err = await errorOf(
      conn.transaction(async (session) => {
        await Person.create([{ email: 't2@x.vn' }], { session });
        throw new Error('business rule failed');
      }),
    );
    expect(err.message).to.equal('business rule failed');
    expect(await Person.countDocuments({ email: 't2@x.vn' })).to.equal(0);
  });

  it('bad queries become errors, not crashes', async function () {
    const err = await errorOf(Person.aggregate([{ $match: { age: { $foo: 1 } } }]).exec());
    expect(err.code).to.equal(2);
    expect(await Person.countDocuments()).to.equal(0);
  });
});
