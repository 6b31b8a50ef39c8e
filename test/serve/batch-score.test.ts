// Batch scoring: predictions and probabilities beside the input columns, as CSV or Parquet, from files streamed
// in chunks (CSV, gzipped CSV, Parquet, NDJSON) and from tables; equal to scoring the whole frame in memory.

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { after, before, describe, test } from 'node:test';
import { isKilnError } from '../../src/core/errors.js';
import type { NumberColumn } from '../../src/core/frame.js';
import { readFrame, writeFrame } from '../../src/data/index.js';
import type { Pipeline } from '../../src/features/index.js';
import { scoreSource } from '../../src/serve/index.js';
import { linearPipeline, project, recordsOf, TELCO, telco, type TestProject } from './fixtures.js';

describe('batch scoring', () => {
  let proj: TestProject;
  let pipeline: Pipeline;
  let expected: Float64Array;
  const source = path.join(TELCO, 'test.csv');

  before(async () => {
    proj = await project();
    pipeline = await linearPipeline({ rows: 600 });
    await proj.store.register({ name: 'churn', artifact: pipeline.toArtifact(), aliases: ['champion'] });
    const r = pipeline.predict(await telco('test'));
    expected = Float64Array.from({ length: r.values.length }, (_, i) => r.probabilities![2 * i + 1]);
  });
  after(async () => proj?.cleanup());

  const scoredYes = async (file: string): Promise<Float64Array> => ((await readFrame(file)).column('probability_Yes') as NumberColumn).values;

  test('CSV in, CSV out, in chunks: every input line kept as written, predictions equal in-memory scoring', async () => {
    const out = path.join(proj.dir, 'scored.csv');
    const progress: number[] = [];
    const r = await scoreSource(proj.store, 'churn@champion', source, out, { chunkRows: 250, onProgress: (n) => progress.push(n) });
    assert.equal(r.rows, 1409);
    assert.deepEqual(r.added, ['prediction', 'probability_No', 'probability_Yes']);
    assert.deepEqual(progress, [250, 500, 750, 1000, 1250, 1409]);
    const inLines = readFileSync(source, 'utf8').trimEnd().split('\n');
    const outLines = readFileSync(out, 'utf8').trimEnd().split('\n');
    assert.equal(outLines.length, inLines.length);
    assert.equal(outLines[0], `${inLines[0]},prediction,probability_No,probability_Yes`);
    inLines.forEach((line, i) => assert.ok(outLines[i].startsWith(`${line},`), `line ${i + 1}`));
    assert.deepEqual(await scoredYes(out), expected);
    const labels = (await readFrame(out)).column('prediction');
    assert.equal(labels.kind, 'category');
  });

  test('Parquet out keeps the input types; Parquet, gzipped CSV and NDJSON in give the same predictions', async () => {
    const parquet = path.join(proj.dir, 'scored.parquet');
    await scoreSource(proj.store, 'churn', source, parquet);
    const frame = await readFrame(parquet);
    assert.equal(frame.column('tenure').kind, 'number');
    assert.deepEqual(((frame.column('probability_Yes') as NumberColumn).values), expected);

    const inputParquet = path.join(proj.dir, 'input.parquet');
    await writeFrame(await telco('test'), inputParquet);
    const gz = path.join(proj.dir, 'input.csv.gz');
    writeFileSync(gz, gzipSync(readFileSync(source)));
    const ndjson = path.join(proj.dir, 'input.ndjson');
    writeFileSync(ndjson, recordsOf(await telco('test'), 1409).map((r) => JSON.stringify(r)).join('\n'));
    for (const input of [inputParquet, gz, ndjson]) {
      const out = path.join(proj.dir, `from-${path.basename(input)}.csv`);
      const r = await scoreSource(proj.store, 'churn', input, out, { chunkRows: 500 });
      assert.equal(r.rows, 1409, input);
      const got = await scoredYes(out);
      for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(got[i] - expected[i]) < 1e-12, `${input} row ${i}`);
    }
  });

  test('a table source (sqlite:) is read whole and scored in chunks', async () => {
    const dbFile = path.join(proj.dir, 'customers.db');
    const db = new Database(dbFile);
    const rows = recordsOf(await telco('test'), 300);
    const names = Object.keys(rows[0]);
    db.exec(`CREATE TABLE customers (${names.map((n) => `"${n}"`).join(', ')})`);
    const insert = db.prepare(`INSERT INTO customers VALUES (${names.map(() => '?').join(', ')})`);
    for (const r of rows) insert.run(...names.map((n) => r[n] as string | number | null));
    db.close();
    const out = path.join(proj.dir, 'from-sqlite.csv');
    const r = await scoreSource(proj.store, 'churn', `sqlite:${dbFile}`, out, { chunkRows: 64, read: { table: 'customers' } });
    assert.equal(r.rows, 300);
    const got = await scoredYes(out);
    for (let i = 0; i < 300; i++) assert.ok(Math.abs(got[i] - expected[i]) < 1e-12, `row ${i}`);
  });

  test('added columns never overwrite input columns', async () => {
    const lines = readFileSync(source, 'utf8').trimEnd().split('\n').slice(0, 51);
    const withPrediction = [`${lines[0]},prediction`, ...lines.slice(1).map((l) => `${l},old`)].join('\n');
    const input = path.join(proj.dir, 'has-prediction.csv');
    writeFileSync(input, withPrediction);
    const out = path.join(proj.dir, 'has-prediction-scored.csv');
    const r = await scoreSource(proj.store, 'churn', input, out);
    assert.deepEqual(r.added, ['kiln_prediction', 'probability_No', 'probability_Yes']);
    const header = readFileSync(out, 'utf8').split('\n')[0];
    assert.ok(header.endsWith(',prediction,kiln_prediction,probability_No,probability_Yes'));
  });

  test('missing model columns fail clearly, naming them, and write nothing', async () => {
    const input = path.join(proj.dir, 'thin.csv');
    writeFileSync(input, 'customerID,tenure\na,1\nb,2\n');
    const out = path.join(proj.dir, 'thin-scored.csv');
    await assert.rejects(scoreSource(proj.store, 'churn', input, out), (e: unknown) => {
      assert.ok(isKilnError(e) && e.code === 'E_VALIDATION');
      assert.match(e.message, /column "Contract" is missing/);
      assert.ok(e.issues.some((i) => i.path[0] === 'gender'));
      return true;
    });
    assert.equal(existsSync(out), false);
    await assert.rejects(scoreSource(proj.store, 'churn', source, path.join(proj.dir, 'out.xlsx')), /cannot tell the output format/);
  });
});
