// The same raw files read from a SQLite table, a PostgreSQL table and a loopback HTTP URL give the same
// shapes and column types as from disk. Tables are filled from the Frame read from disk.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { readDataset, type Dataset } from '../../src/data/index.js';
import { withDefaultUser } from '../../src/data/sources/postgres-reader.js';
import { dataset, DATASETS_DIR, datasetsMissing, postgresUrl, RAW_FILES } from './helpers/datasets.js';
import { type FolderServer, serveFolder } from './helpers/http.js';
import { frameToPostgres, frameToSqlite } from './helpers/tables.js';

const skip = datasetsMissing();
const pgSetup = skip ? { skip } : postgresUrl();
const tableName = (file: string) => `kiln_read_${path.basename(file).replace(/\W/g, '_').toLowerCase()}_${process.pid}`;

/** Same rows and columns, and the same semantic types except for columns with no values at all. */
function assertSameShape(actual: Dataset, expected: Dataset, where: string): void {
  assert.equal(actual.frame.nRows, expected.frame.nRows, `${where}: rows`);
  assert.deepEqual(actual.frame.names, expected.frame.names, `${where}: column names`);
  expected.schema.columns.forEach((want, j) => {
    if (want.missing === expected.frame.nRows) return;
    assert.equal(actual.schema.columns[j].type, want.type, `${where}: type of ${want.name}`);
  });
}

const fromDisk = new Map<string, Dataset>();
async function disk(file: string): Promise<Dataset> {
  let d = fromDisk.get(file);
  if (!d) fromDisk.set(file, (d = await readDataset(dataset(file))));
  return d;
}

describe('SQLite tables', { skip }, () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-sqlite-'));
  const db = path.join(dir, 'data.db');
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const { file, rows, cols } of RAW_FILES) {
    test(`${file} from sqlite:…db --table: ${rows} × ${cols}`, async () => {
      const expected = await disk(file);
      frameToSqlite(expected.frame, db, tableName(file));
      const got = await readDataset(`sqlite:${db}`, { table: tableName(file) });
      assert.equal(got.frame.nRows, rows);
      assert.equal(got.frame.nCols, cols);
      assertSameShape(got, expected, `sqlite ${file}`);
    });
  }

  test('--query selects and filters', async () => {
    const got = await readDataset(`sqlite:${db}`, { query: `SELECT "Churn", count(*) AS n FROM ${tableName('telco_churn/Telco-Customer-Churn.csv')} GROUP BY "Churn" ORDER BY 1` });
    assert.deepEqual(got.frame.toRecords(), [
      { Churn: 'No', n: 5174 },
      { Churn: 'Yes', n: 1869 },
    ]);
  });
});

describe('PostgreSQL tables', { skip: pgSetup.skip }, () => {
  let client: pg.Client;
  const created: string[] = [];
  before(async () => {
    client = new pg.Client({ connectionString: withDefaultUser(pgSetup.url as string) });
    await client.connect();
  });
  after(async () => {
    for (const t of created) await client.query(`DROP TABLE IF EXISTS "${t}"`);
    await client.end();
  });

  for (const { file, rows, cols } of RAW_FILES) {
    test(`${file} from postgres://… --table: ${rows} × ${cols}`, async () => {
      const expected = await disk(file);
      const table = tableName(file);
      await client.query(`DROP TABLE IF EXISTS "${table}"`);
      created.push(table);
      await frameToPostgres(client, expected.frame, table);
      const got = await readDataset(pgSetup.url as string, { table });
      assert.equal(got.frame.nRows, rows);
      assert.equal(got.frame.nCols, cols);
      assertSameShape(got, expected, `postgres ${file}`);
    });
  }

  test('--query with PostgreSQL types: integers, numerics, dates, booleans', async () => {
    const got = await readDataset(pgSetup.url as string, {
      query: `SELECT g AS id, g::numeric / 4 AS quarter, (g % 2 = 0) AS even, DATE '2024-01-01' + g AS day, 'w' || (g % 3) AS word
              FROM generate_series(1, 30) AS g`,
    });
    assert.equal(got.frame.nRows, 30);
    const types = Object.fromEntries(got.schema.columns.map((c) => [c.name, c.type]));
    assert.deepEqual(types, { id: 'identifier', quarter: 'number', even: 'boolean', day: 'datetime', word: 'category' });
    assert.deepEqual(got.frame.row(0), { id: 1, quarter: 0.25, even: 'false', day: Date.UTC(2024, 0, 2), word: 'w1' });
  });
});

describe('loopback HTTP URLs', { skip }, () => {
  let server: FolderServer;
  before(async () => {
    server = await serveFolder(DATASETS_DIR);
  });
  after(async () => server.close());

  for (const { file, rows, cols } of [...RAW_FILES, { file: 'bank_marketing/bank-additional-full.csv.gz', rows: 41188, cols: 21 }]) {
    test(`${file} from http://127.0.0.1: ${rows} × ${cols}`, async () => {
      const got = await readDataset(`${server.url}/${file}`);
      assert.equal(got.frame.nRows, rows);
      assert.equal(got.frame.nCols, cols);
      assert.equal(got.source.kind, 'http');
      assertSameShape(got, await disk(file), `http ${file}`);
    });
  }
});
