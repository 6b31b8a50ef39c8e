// Every raw shared data file reads correctly from disk with no per-file code: shapes, and the values that
// prove each quirk was handled (", " separators, junk line, stray quotes, Latin-1, blank numbers).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { DataParseError } from '../../src/core/errors.js';
import { type CategoryColumn, type Frame, type NumberColumn, valueAt } from '../../src/core/frame.js';
import { readDataset, readFrame, writeFrame } from '../../src/data/index.js';
import { dataset, datasetsMissing, MORE_FILES, RAW_FILES } from './helpers/datasets.js';

const skip = datasetsMissing();
const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/data');

function labelCounts(frame: Frame, name: string): Record<string, number> {
  const col = frame.column(name) as CategoryColumn;
  assert.equal(col.kind, 'category', `${name} should be categories`);
  const out: Record<string, number> = {};
  for (const c of col.codes) if (c >= 0) out[col.dictionary[c]] = (out[col.dictionary[c]] ?? 0) + 1;
  return out;
}

function missingIn(frame: Frame, name: string): number {
  let n = 0;
  const col = frame.column(name);
  for (let i = 0; i < frame.nRows; i++) if (valueAt(col, i) === null) n++;
  return n;
}

describe('raw shared files', { skip }, () => {
  for (const { file, rows, cols } of [...RAW_FILES, ...MORE_FILES]) {
    test(`${file}: ${rows} rows × ${cols} columns`, async () => {
      const frame = await readFrame(dataset(file));
      assert.equal(frame.nRows, rows);
      assert.equal(frame.nCols, cols);
    });
  }

  test('adult: ", " separators leave no leading spaces, "?" is missing, the junk line of adult.test is skipped', async () => {
    const train = await readDataset(dataset('adult/adult.data'));
    assert.equal(train.source.delimiter, ', ');
    assert.equal(train.source.header, false);
    assert.deepEqual(labelCounts(train.frame, 'column15'), { '<=50K': 24720, '>50K': 7841 });
    assert.equal(missingIn(train.frame, 'column2'), 1836); // workclass
    assert.equal(missingIn(train.frame, 'column7'), 1843); // occupation
    assert.equal(missingIn(train.frame, 'column14'), 583); // native-country
    assert.equal(valueAt(train.frame.column('column2'), 0), 'State-gov');
    const test = await readDataset(dataset('adult/adult.test'));
    assert.equal(test.source.skipLines, 1);
    assert.deepEqual(labelCounts(test.frame, 'column15'), { '<=50K.': 12435, '>50K.': 3846 });
    assert.equal(train.frame.column('column1').kind, 'number');
  });

  test('adult with --columns gets real names', async () => {
    const names = 'age,workclass,fnlwgt,education,education-num,marital-status,occupation,relationship,race,sex,capital-gain,capital-loss,hours-per-week,native-country,income'.split(',');
    const frame = await readFrame(dataset('adult/adult.data'), { columns: names, limit: 100 });
    assert.deepEqual(frame.names, names);
    assert.equal(frame.nRows, 100);
  });

  test('bank: ";" with quoted strings; yes/no columns are booleans; --missing unknown', async () => {
    const bank = await readDataset(dataset('bank_marketing/bank-full.csv'), { missing: ['unknown'] });
    assert.equal(bank.source.delimiter, ';');
    assert.deepEqual(labelCounts(bank.frame, 'y'), { no: 39922, yes: 5289 });
    assert.equal(bank.schema.columns.find((c) => c.name === 'y')?.type, 'boolean');
    assert.equal(missingIn(bank.frame, 'poutcome'), 36959);
    assert.equal(missingIn(bank.frame, 'contact'), 13020);
    const gz = await readDataset(dataset('bank_marketing/bank-additional-full.csv.gz'));
    assert.equal(gz.source.gzip, true);
    assert.deepEqual(labelCounts(gz.frame, 'y'), { no: 36548, yes: 4640 });
  });

  test('sms_spam: tab-separated, no header, quotes are text: 5,574 messages', async () => {
    const sms = await readDataset(dataset('sms_spam/SMSSpamCollection'));
    assert.equal(sms.source.delimiter, '\t');
    assert.equal(sms.source.quote, null);
    assert.deepEqual(labelCounts(sms.frame, 'column1'), { ham: 4827, spam: 747 });
    const text = sms.frame.column('column2');
    assert.equal(text.kind, 'text');
    const withQuote = (text.kind === 'text' ? text.values : []).filter((v) => v?.includes('"')).length;
    assert.equal(withQuote, 145);
  });

  test('movielens u.item: "|" and Latin-1, decoded to the right characters', async () => {
    const items = await readDataset(dataset('movielens_100k/u.item'));
    assert.equal(items.source.delimiter, '|');
    assert.equal(items.source.encoding, 'latin-1');
    const titles = items.frame.column('column2');
    const all = titles.kind === 'text' ? titles.values : [];
    assert.ok(all.some((t) => t?.includes('é')), 'accented titles decode from Latin-1');
    assert.ok(!all.some((t) => t?.includes('\ufffd')), 'no replacement characters');
    assert.equal(items.schema.columns[2].type, 'datetime'); // 01-Jan-1995
    assert.equal(missingIn(items.frame, 'column3'), 1);
    assert.equal(missingIn(items.frame, 'column4'), 1682); // video release date, always empty
  });

  test('telco: TotalCharges is numbers stored as text, its 11 blanks missing', async () => {
    const telco = await readDataset(dataset('telco_churn/Telco-Customer-Churn.csv'));
    const info = telco.schema.columns.find((c) => c.name === 'TotalCharges');
    assert.equal(info?.type, 'number');
    assert.equal(info?.convertedFromText, true);
    assert.deepEqual(info?.markersFound, { ' ': 11 });
    assert.equal((telco.frame.column('TotalCharges') as NumberColumn).values.filter(Number.isNaN).length, 11);
    assert.equal(telco.schema.columns.find((c) => c.name === 'customerID')?.type, 'identifier');
    assert.deepEqual(labelCounts(telco.frame, 'Churn'), { No: 5174, Yes: 1869 });
  });
});

describe('other formats', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-read-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a JSON array of objects: numbers, labels, booleans, dates', async () => {
    const d = await readDataset(path.join(FIXTURES, 'sample.json'));
    assert.equal(d.source.format, 'json');
    assert.deepEqual(d.frame.names, ['a', 'b', 'c', 'd']);
    assert.deepEqual(d.frame.toRecords(), [
      { a: 1, b: 'x', c: 'true', d: Date.UTC(2024, 0, 2) },
      { a: 2.5, b: null, c: 'false', d: Date.UTC(2024, 1, 3) },
      { a: null, b: 'y', c: 'true', d: null },
    ]);
    assert.equal(d.schema.columns[2].type, 'boolean');
  });

  test('NDJSON, with nested values kept as JSON text', async () => {
    const d = await readDataset(path.join(FIXTURES, 'sample.ndjson'));
    assert.equal(d.source.format, 'ndjson');
    assert.deepEqual(d.frame.row(0), { user: 1, item: 'apple', tags: '["a","b"]' });
    assert.equal(d.frame.nRows, 3);
  });

  test('Parquet written by Kiln reads back the same', async () => {
    const telco = await readFrame(path.join(FIXTURES, 'messy.csv'));
    const file = path.join(dir, 'messy.parquet');
    await writeFrame(telco, file);
    const back = await readDataset(file);
    assert.equal(back.source.format, 'parquet');
    assert.deepEqual(back.frame.toRecords(), telco.toRecords());
  });

  test('Latin-1 bytes after the first megabyte: the file is re-read as Latin-1', async () => {
    const file = path.join(dir, 'late-latin1.csv');
    const ascii = Array.from({ length: 40_000 }, (_, i) => `${i},plain text ${i}`).join('\n');
    writeFileSync(file, Buffer.concat([Buffer.from(`id,name\n${ascii}\n`), Buffer.from('40000,Caf\xe9\n', 'latin1')]));
    const d = await readDataset(file);
    assert.equal(d.source.encoding, 'latin-1');
    assert.equal(d.frame.nRows, 40_001);
    assert.equal(valueAt(d.frame.column('name'), 40_000), 'Café');
  });

  test('malformed JSON and NDJSON fail with the file named', async () => {
    const bad = path.join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"a": 1}\n{"a": 2}\n{"a": \n');
    await assert.rejects(readFrame(bad), (e: unknown) => e instanceof DataParseError && e.message.includes('bad.ndjson'));
    const array = path.join(dir, 'bad.json');
    writeFileSync(array, '[{"a": 1}, {"a": ');
    await assert.rejects(readFrame(array), (e: unknown) => e instanceof DataParseError && e.message.includes('bad.json'));
  });

  test('a byte-order mark and CRLF line ends; semicolons with decimal commas', async () => {
    const bom = path.join(dir, 'bom.csv');
    writeFileSync(bom, '\ufeffid,name\r\n1,Ann\r\n2,"Bob\r\nJr"\r\n');
    assert.deepEqual((await readFrame(bom)).toRecords(), [
      { id: 1, name: 'Ann' },
      { id: 2, name: 'Bob\r\nJr' },
    ]);
    const euro = path.join(dir, 'euro.csv');
    writeFileSync(euro, 'Artikel;Preis;Menge\nTisch;1.234,50;2\nStuhl;89,90;4\nLampe;12,00;1\n');
    const d = await readDataset(euro);
    assert.equal(d.source.delimiter, ';');
    assert.deepEqual(d.frame.toRecords().map((r) => r.Preis), [1234.5, 89.9, 12]);
    assert.equal(d.schema.columns[1].parse.number?.decimal, ',');
  });

  test('quoted fields with embedded newlines and escaped quotes', async () => {
    const frame = await readFrame(path.join(FIXTURES, 'embedded-newlines.csv'));
    assert.deepEqual(frame.toRecords(), [
      { id: 1, note: 'first line\nsecond line', amount: 10 },
      { id: 2, note: 'say "hi"', amount: 20 },
      { id: 3, note: 'plain', amount: 30 },
    ]);
  });
});
