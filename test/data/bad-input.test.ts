// Bad input gets one clear error with a stable code: malformed lines name file, line and column (or are
// skipped and counted), and missing files, empty files, unknown schemes, dead servers and bad queries are
// each reported plainly.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { DataParseError, KilnError } from '../../src/core/errors.js';
import { readDataset, readFrame } from '../../src/data/index.js';
import { postgresUrl } from './helpers/datasets.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/data');
const fixture = (name: string) => path.join(FIXTURES, name);

async function failure(promise: Promise<unknown>): Promise<KilnError> {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof KilnError, `expected a KilnError, got ${String(e)}`);
    return e;
  }
  assert.fail('expected the read to fail');
}

describe('malformed delimited files', () => {
  test('an unbalanced quote: file, line and column of the opening quote, and a hint', async () => {
    const e = await failure(readFrame(fixture('unbalanced-quote.csv')));
    assert.ok(e instanceof DataParseError);
    assert.equal(e.code, 'E_DATA_PARSE');
    assert.equal(e.file, fixture('unbalanced-quote.csv'));
    assert.equal(e.line, 4);
    assert.equal(e.column, 3);
    assert.match(e.message, /unbalanced-quote\.csv \(line 4, column 3\): a quoted value opens here and is never closed/);
    assert.match(e.hint ?? '', /--skip-bad-rows/);
  });

  test('a line with an extra field: the column where it starts', async () => {
    const e = (await failure(readFrame(fixture('too-many-fields.csv')))) as DataParseError;
    assert.equal(e.line, 4);
    assert.equal(e.column, 9); // "3,Cid,5,extra": the fourth field starts at character 9
    assert.match(e.message, /4 fields where 3 were expected/);
  });

  test('a short line: the column where it ends', async () => {
    const e = (await failure(readFrame(fixture('too-few-fields.csv')))) as DataParseError;
    assert.equal(e.line, 3);
    assert.equal(e.column, 6);
    assert.match(e.message, /2 fields where 3 were expected/);
  });

  test('--skip-bad-rows skips malformed lines and counts them', async () => {
    const d = await readDataset(fixture('too-many-fields.csv'), { skipBadRows: true });
    assert.equal(d.frame.nRows, 4);
    assert.equal(d.source.badRows.count, 1);
    assert.equal(d.source.badRows.examples[0].line, 4);
    const short = await readDataset(fixture('too-few-fields.csv'), { skipBadRows: true });
    assert.deepEqual(short.frame.column('name').kind === 'category' ? short.frame.toRecords().map((r) => r.name) : [], ['Ann', 'Cid', 'Dee']);
    assert.equal(short.source.badRows.count, 1);
  });

  test('a word in a column that looked numeric in the sample is not a bad row: the column becomes text', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-bad-'));
    try {
      const file = path.join(dir, 'late-word.csv');
      // the first megabyte holds only numbers in column "code"; a word comes after it
      const rows = Array.from({ length: 70_000 }, (_, i) => `${i},${i % 7}`);
      rows.push('70000,unknown');
      writeFileSync(file, `id,code\n${rows.join('\n')}\n`);
      for (const skipBadRows of [false, true]) {
        const d = await readDataset(file, { skipBadRows });
        assert.equal(d.frame.nRows, 70_001);
        assert.equal(d.source.badRows.count, 0);
        assert.equal(d.schema.columns[1].mixed?.examples[0], 'unknown');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sources that cannot be read', () => {
  test('a missing file', async () => {
    const e = await failure(readFrame(fixture('no-such-file.csv')));
    assert.equal(e.code, 'E_DATA_SOURCE');
    assert.match(e.message, /^no such file: .*no-such-file\.csv$/);
  });

  test('an empty file, and a header with no rows', async () => {
    const empty = await failure(readFrame(fixture('empty.csv')));
    assert.equal(empty.code, 'E_DATA_EMPTY');
    assert.match(empty.message, /empty\.csv is empty \(0 bytes\)/);
    const headerOnly = await failure(readFrame(fixture('header-only.csv')));
    assert.equal(headerOnly.code, 'E_DATA_EMPTY');
    assert.match(headerOnly.message, /holds no rows \(only the columns id, name, score\)/);
  });

  test('an unknown scheme lists what is supported', async () => {
    const e = await failure(readFrame('ftp://example.org/data.csv'));
    assert.equal(e.code, 'E_DATA_SOURCE');
    assert.match(e.message, /unknown source scheme "ftp:"/);
    assert.match(e.hint ?? '', /sqlite:path\.db, postgres:\/\/… or http\(s\):\/\//);
  });

  test('SQLite: a missing database, a missing table, a bad query, no table or query', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-sqlite-bad-'));
    try {
      assert.match((await failure(readFrame(`sqlite:${dir}/none.db`, { table: 't' }))).message, /no such SQLite database/);
      const db = path.join(dir, 'one.db');
      const { default: Database } = await import('better-sqlite3');
      const handle = new Database(db);
      handle.exec('CREATE TABLE people (name TEXT, age REAL); INSERT INTO people VALUES (\'Ann\', 30);');
      handle.close();
      const table = await failure(readFrame(`sqlite:${db}`, { table: 'persons' }));
      assert.match(table.message, /SQLite rejected the query: no such table: persons/);
      assert.match(table.hint ?? '', /tables are: people/);
      assert.match((await failure(readFrame(`sqlite:${db}`, { query: 'SELEC nonsense' }))).message, /SQLite rejected the query/);
      assert.match((await failure(readFrame(`sqlite:${db}`))).message, /needs --table <name> or --query <sql>/);
      assert.deepEqual((await readFrame(`sqlite:${db}`, { table: 'people' })).toRecords(), [{ name: 'Ann', age: 30 }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('PostgreSQL: an unreachable server, with the password hidden', async () => {
    const e = await failure(readFrame('postgres://kiln:s3cret@127.0.0.1:1/nothing', { table: 't' }));
    assert.equal(e.code, 'E_DATA_SOURCE');
    assert.match(e.message, /cannot connect to PostgreSQL at postgres:\/\/kiln:\*\*\*@127\.0\.0\.1:1\/nothing/);
    assert.doesNotMatch(e.message, /s3cret/);
  });

  const pg = postgresUrl();
  test('PostgreSQL: a query error and a missing table', { skip: pg.skip }, async () => {
    const query = await failure(readFrame(pg.url as string, { query: 'SELECT no_such_column FROM generate_series(1, 3)' }));
    assert.match(query.message, /PostgreSQL rejected the query: column "no_such_column" does not exist/);
    const table = await failure(readFrame(pg.url as string, { table: 'kiln_no_such_table' }));
    assert.match(table.message, /relation "kiln_no_such_table" does not exist/);
  });

  test('HTTP: a 404 and an unreachable server', async () => {
    const server = http.createServer((_req, res) => res.writeHead(404).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      const missing = await failure(readFrame(`http://127.0.0.1:${port}/nothing.csv`));
      assert.match(missing.message, /answered HTTP 404/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const down = await failure(readFrame(`http://127.0.0.1:${port}/gone.csv`));
    assert.match(down.message, /cannot reach http:\/\/127\.0\.0\.1:\d+\/gone\.csv: ECONNREFUSED/);
  });
});

after(() => undefined);
