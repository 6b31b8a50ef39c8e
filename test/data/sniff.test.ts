import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DataParseError } from '../../src/core/errors.js';
import { sniffCsv } from '../../src/data/sources/csv-sniff.js';
import { tokenize } from '../../src/data/sources/csv-tokenize.js';

const sniff = (text: string, extra: Partial<Parameters<typeof sniffCsv>[1]> = {}) => sniffCsv(text, { wholeFile: true, file: 'sample.csv', ...extra });

test('the delimiter is the one that splits every line the same way', () => {
  assert.equal(sniff('a,b,c\n1,2,3\n4,5,6\n').delimiter, ',');
  assert.equal(sniff('"a";"b"\n1;"x, y"\n2;"z"\n').delimiter, ';');
  assert.equal(sniff('a\tb\n1\tx,y\n2\tz\n').delimiter, '\t');
  assert.equal(sniff('1|Toy Story (1995)|01-Jan-1995\n2|Usual Suspects, The (1995)|01-Jan-1995\n').delimiter, '|');
});

test('"a, b, c" is split on comma-plus-space, so values carry no leading space', () => {
  const d = sniff('39, State-gov, 77516, Bachelors\n50, Self-emp-not-inc, 83311, Bachelors\n38, Private, 215646, HS-grad\n');
  assert.equal(d.delimiter, ', ');
  assert.equal(d.header, false);
  assert.deepEqual(d.names, ['column1', 'column2', 'column3', 'column4']);
  assert.deepEqual(d.types, ['DOUBLE', 'VARCHAR', 'DOUBLE', 'VARCHAR']);
});

test('a junk line before the data is skipped', () => {
  const d = sniff('|1x3 Cross validator\n25, Private, 226802\n38, Private, 89814\n28, Local-gov, 336951\n');
  assert.equal(d.skipLines, 1);
  assert.equal(d.delimiter, ', ');
});

test('header detection: names over numbers, or distinct names over text that never repeats them', () => {
  assert.equal(sniff('age,job\n30,admin\n41,tech\n').header, true);
  assert.equal(sniff('30,admin\n41,tech\n52,admin\n').header, false);
  assert.equal(sniff('text,category\nhow do I pay,payment\nwhere is my card,card\n').header, true);
  // "ham" appears again below: the first row is data
  assert.equal(sniff('ham\tGo until jurong point\nham\tOk lar\nspam\tFree entry\n').header, false);
  // a single column: a name looks unlike the values under it; a list of like words has no header
  assert.equal(sniff('name\nAnn\nBob\n').header, true);
  assert.equal(sniff('administrator\nartist\ndoctor\n').header, false);
  assert.equal(sniff('943 users\n1682 items\n100000 ratings\n').header, false);
});

test('stray quotes inside values switch quoting off; proper quoting stays on', () => {
  const sms = 'ham\tToday is "song dedicated day.." Which song?\nham\t"Wen u miss someone" gdeve\nspam\tFree entry\n';
  const d = sniff(sms);
  assert.equal(d.delimiter, '\t');
  assert.equal(d.quote, null);
  assert.equal(sniff('a,b\n1,"x, y"\n2,"say ""hi"""\n').quote, '"');
});

test('quoted fields may hold delimiters and line breaks', () => {
  const tok = tokenize('id,note\n1,"first\nsecond"\n2,"a, b"\n', ',', '"');
  assert.equal(tok.records.length, 3);
  assert.deepEqual(tok.records[1].fields, ['1', 'first\nsecond']);
  assert.equal(tok.records[2].line, 4);
  assert.equal(tok.unterminated, null);
});

test('user choices override guesses', () => {
  const d = sniff('a;b\n1;2\n', { delimiter: ';', header: false, columns: ['x', 'y'] });
  assert.deepEqual(d.names, ['x', 'y']);
  assert.equal(d.header, false);
  assert.equal(sniff('x\ty\n1\t2\n', { delimiter: '\\t' }).delimiter, '\t');
});

test('codes with leading zeros are not guessed as numbers', () => {
  assert.deepEqual(sniff('zip,n\n02134,1\n10001,2\n').types, ['VARCHAR', 'DOUBLE']);
});

test('a layout that cannot be guessed fails with a hint naming the options', () => {
  const ragged = 'a,b\n1,2,3,4\n5\n6,7,8\n9,10,11,12,13\n';
  assert.throws(
    () => sniff(ragged),
    (e: unknown) => e instanceof DataParseError && /cannot work out the layout/.test(e.message) && /--delimiter/.test(e.hint ?? '') && /--no-header/.test(e.hint ?? ''),
  );
  assert.throws(() => sniff('a,b\n1,2\n', { columns: ['only-one'] }), /--columns names 1 columns but the lines have 2 fields/);
});
