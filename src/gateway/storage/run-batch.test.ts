// Storage.runBatch on a real SQLite file: one transaction whatever its size, a turn of the event
// loop between slices (a big batch never holds the calls for long), and statements asked for
// meanwhile wait for the batch's connection, so they see all of its rows or none.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { BATCH_SLICE, openStorage, type Storage } from './database.js';

interface Db {
  items: { id: number; name: string };
}

let dir: string;
let storage: Storage<Db>;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'mcplexer-run-batch-'));
  storage = await openStorage<Db>(path.join(dir, 'test.db'), {
    '0001': {
      up: async (db: Kysely<any>) =>
        void (await db.schema
          .createTable('items')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('name', 'text')
          .execute()),
    },
  });
});
afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = (from: number, count: number) => Array.from({ length: count }, (_, i) => [from + i, `item ${from + i}`]);
const count = async () =>
  Number(
    (
      await storage.db
        .selectFrom('items')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

it('gives the event loop a turn between slices of a big batch; a query meanwhile sees all of it or none', async () => {
  const size = BATCH_SLICE * 4 + 7;
  let turns = 0;
  const tick = () => {
    turns += 1;
    if (turns < 1000) setImmediate(tick);
  };
  setImmediate(tick);
  const batch = storage.runBatch('insert into items (id, name) values (?, ?)', rows(1, size));
  const seen = count(); // asked while the batch runs
  await batch;
  expect(turns).toBeGreaterThanOrEqual(4); // the loop turned between the slices, not only after the batch
  expect([0, size]).toContain(await seen);
  expect(await count()).toBe(size);
});

it('a batch that fails in its last slice writes nothing, and the next batch works', async () => {
  const size = BATCH_SLICE * 2 + 3;
  const bad = rows(1, size);
  bad[size - 1] = [1, 'duplicate id']; // the primary key of the first row, after two turns
  await expect(storage.runBatch('insert into items (id, name) values (?, ?)', bad)).rejects.toThrow(/UNIQUE/);
  expect(await count()).toBe(0);
  await storage.runBatch('insert into items (id, name) values (?, ?)', rows(1, 3));
  expect(await count()).toBe(3);
});

it('binds only what changed from row to row, and every row reads back exactly as given', async () => {
  // Values that repeat, change, turn null and back: a value left bound from the row before must
  // never stand in for a different one (a change of type with the same text: the test below).
  const given = [
    [1, 'same'],
    [2, 'same'],
    [3, null],
    [4, null],
    [5, 'same'],
    [6, 'other'],
    [7, 'other'],
    [8, 'same'],
    [9, ''],
    [10, 'é ☃ 𝄞'],
  ];
  await storage.runBatch('insert into items (id, name) values (?, ?)', given);
  await storage.runBatch('insert into items (id, name) values (?, ?)', [
    [11, 'é ☃ 𝄞'],
    [12, null],
  ]); // the next batch starts from the last row's bindings
  const read = await storage.db.selectFrom('items').selectAll().orderBy('id').execute();
  expect(read.map((r) => [r.id, r.name])).toEqual([...given, [11, 'é ☃ 𝄞'], [12, null]]);
});

it('the batch statement uses the engine’s own reset, bind and step (the pinned node-sqlite3-wasm has them)', async () => {
  const { BatchStatement } = await import('./batch-statement.js');
  const { Database } = await import('node-sqlite3-wasm');
  const raw = new Database(path.join(dir, 'probe.db'));
  try {
    raw.exec('create table t (a, b)');
    const statement = new BatchStatement(raw, raw.prepare('insert into t values (?, ?)'));
    expect(statement.bindsChangesOnly).toBe(true);
    statement.run([1, 'x']);
    statement.run([1, 'y']);
    expect(() => statement.run([1, { not: 'bindable' }])).toThrow(/Unsupported type/);
    statement.run([2, 'y']); // the failed bind left 'y' marked unbound: bound again
    statement.run([3, '7']);
    statement.run([4, 7]); // equal text, another type (the columns have no affinity): bound again
    statement.run([5, 7.5]);
    statement.finalize();
    expect(raw.all('select a, b, typeof(b) as type from t')).toEqual([
      { a: 1, b: 'x', type: 'text' },
      { a: 1, b: 'y', type: 'text' },
      { a: 2, b: 'y', type: 'text' },
      { a: 3, b: '7', type: 'text' },
      { a: 4, b: 7, type: 'integer' },
      { a: 5, b: 7.5, type: 'real' },
    ]);
  } finally {
    raw.close();
  }
});
