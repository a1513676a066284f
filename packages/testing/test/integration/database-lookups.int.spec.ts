import mongoose from 'mongoose';
import { databaseUrl, uniqueName } from '../../src/index.js';

// The local FerretDB image carries a patch (infra/images/ferretdb/sqlite-index-pushdown.patch) that lets
// SQLite search indexes for equality lookups instead of scanning whole collections. These tests prove, on the
// real server, that the lookups keep MongoDB's answers (arrays that contain the value, strings that need
// escaping, ObjectIDs, $in on _id, other conditions beside the pushed-down one) and that an index is searched.
// On a real MongoDB (BUERGERSERVICE_IMAGE_FLAVOUR=official) the answers are the same and the plan differs.
interface Row {
  _id: string | mongoose.Types.ObjectId;
  key?: unknown;
  n?: number;
}

const special = 'Straße <&> "quoted" \\ back\u2028slash ü';

describe('equality lookups on the database server', () => {
  const connection = mongoose.createConnection();
  let rows: mongoose.mongo.Collection<Row>;
  const objectId = new mongoose.Types.ObjectId();

  beforeAll(async () => {
    await connection.openUri(databaseUrl(uniqueName('lookups')), { serverSelectionTimeoutMS: 60_000 });
    rows = connection.db!.collection<Row>('rows');
    await rows.createIndex({ key: 1 });
    await rows.insertMany([
      { _id: 'a', key: 'x', n: 1 },
      { _id: 'b', key: 'y', n: 1 },
      { _id: 'c', key: ['y', 'x'], n: 2 },
      { _id: 'd', key: ['z', 'w'], n: 3 },
      { _id: 'e', key: { x: 'x' }, n: 4 },
      { _id: 'f', key: special, n: 5 },
      { _id: 'g', n: 6 },
      { _id: 'h', key: null, n: 7 },
      { _id: objectId, key: objectId.toHexString(), n: 8 },
      { _id: 'x', key: 'x[', n: 9 },
    ]);
  });
  afterAll(async () => {
    await connection.dropDatabase().catch(() => undefined);
    await connection.close();
  });

  const ids = async (filter: mongoose.mongo.Filter<Row>) =>
    (await rows.find(filter).toArray()).map((row) => String(row._id)).sort();

  it('finds a string in a field and in arrays that contain it, not in other arrays or subdocuments', async () => {
    expect(await ids({ key: 'x' })).toEqual(['a', 'c']);
    expect(await ids({ key: 'y' })).toEqual(['b', 'c']);
    expect(await ids({ key: 'x[' })).toEqual(['x']);
    expect(await ids({ key: 'nothing' })).toEqual([]);
  });

  it('finds strings that JSON has to escape', async () => {
    expect(await ids({ key: special })).toEqual(['f']);
    expect(await ids({ _id: 'f', key: special })).toEqual(['f']);
  });

  it('tells an ObjectID from a string of the same hex digits', async () => {
    expect(await ids({ _id: objectId })).toEqual([objectId.toHexString()]);
    expect(await ids({ _id: objectId.toHexString() })).toEqual([]);
    expect(await ids({ key: objectId.toHexString() })).toEqual([objectId.toHexString()]);
    expect(await ids({ key: objectId })).toEqual([]);
  });

  it('answers $in on _id, conjunctions and updates and deletes by _id', async () => {
    expect(await ids({ _id: { $in: ['a', 'c', 'zz'] } })).toEqual(['a', 'c']);
    expect(await ids({ _id: { $in: [] } })).toEqual([]);
    expect(await ids({ key: 'x', n: 2 })).toEqual(['c']);
    expect(await ids({ _id: 'a', key: 'y' })).toEqual([]);

    expect((await rows.updateOne({ _id: 'b', key: 'y' }, { $set: { n: 10 } })).modifiedCount).toBe(1);
    expect((await rows.updateOne({ _id: 'b', key: 'x' }, { $set: { n: 11 } })).matchedCount).toBe(0);
    expect(await rows.findOne({ _id: 'b' })).toMatchObject({ n: 10 });
    expect((await rows.deleteOne({ _id: 'g' })).deletedCount).toBe(1);
    expect(await rows.countDocuments({ _id: 'g' })).toBe(0);
  });

  it('searches the indexes of _id and of the field instead of scanning the collection', async () => {
    const plan = async (filter: mongoose.mongo.Filter<Row>) => JSON.stringify(await rows.find(filter).explain());
    const server = await connection.db!.admin().command({ buildInfo: 1 });
    if (!('ferretdbVersion' in server)) return; // a real MongoDB plans on its own
    expect(await plan({ _id: 'a' })).toMatch(/SEARCH .* USING INDEX \S*_id_\b/);
    expect(await plan({ key: 'x' })).toMatch(/SEARCH .* USING INDEX \S*_key_1\b/);
    expect(await plan({ n: 1 })).toMatch(/SCAN/);
  });
});
