import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryFromStrings, numberColumn, textColumn } from '../../src/core/frame.js';
import { booleanPair, coerceColumn, formatDate, parseDate, parseNumber } from '../../src/data/coerce.js';

const dot = { decimal: '.' as const, thousands: ',' as const, currency: null, percent: false };
const comma = { decimal: ',' as const, thousands: '.' as const, currency: null, percent: false };

test('numbers written as text: separators, currency, percent, signs, accounting negatives', () => {
  assert.equal(parseNumber('42'), 42);
  assert.equal(parseNumber(' -3.5e2 '), -350);
  assert.equal(parseNumber('1,234.50', dot), 1234.5);
  assert.equal(parseNumber('12,345,678', dot), 12345678);
  assert.equal(parseNumber('$1,200.00', dot), 1200);
  assert.equal(parseNumber('-$5', dot), -5);
  assert.equal(parseNumber('€ 12', dot), 12);
  assert.equal(parseNumber('12 €', dot), 12);
  assert.equal(parseNumber('45%'), 45);
  assert.equal(parseNumber('7.5 %'), 7.5);
  assert.equal(parseNumber('(1,500.25)', dot), -1500.25);
  assert.equal(parseNumber('1.234,5', comma), 1234.5);
  assert.equal(parseNumber('0,75', { ...comma, thousands: null }), 0.75);
});

test('text that is not a number reads as NaN, including badly grouped thousands', () => {
  for (const bad of ['', ' ', 'abc', '12abc', '1,23.4', '1,2345', '--5', '1.2.3', '$', '%']) {
    assert.ok(Number.isNaN(parseNumber(bad, dot)), `${JSON.stringify(bad)} should not parse`);
  }
});

test('dates in the common layouts, with validation of day and month', () => {
  const jan2 = Date.UTC(2024, 0, 2);
  assert.equal(parseDate('2024-01-02', 'iso'), jan2);
  assert.equal(parseDate('2024-01-02T10:30:00Z', 'iso'), Date.UTC(2024, 0, 2, 10, 30));
  assert.equal(parseDate('2024-01-02 10:30:00+02:00', 'iso'), Date.UTC(2024, 0, 2, 8, 30));
  assert.equal(parseDate('2024/01/02', 'ymd'), jan2);
  assert.equal(parseDate('02/01/2024', 'dmy'), jan2);
  assert.equal(parseDate('01/02/2024', 'mdy'), jan2);
  assert.equal(parseDate('02-Jan-2024', 'd-mon-y'), jan2);
  assert.equal(parseDate('Jan 2, 2024', 'mon-d-y'), jan2);
  assert.ok(Number.isNaN(parseDate('2024-02-30', 'iso')));
  assert.ok(Number.isNaN(parseDate('13/13/2024', 'mdy')));
  assert.ok(Number.isNaN(parseDate('2024', 'iso')));
  assert.equal(formatDate(jan2), '2024-01-02');
  assert.equal(formatDate(Date.UTC(2024, 0, 2, 10, 30)), '2024-01-02T10:30:00.000Z');
});

test('yes/no word pairs are recognised case-insensitively, and only as one pair', () => {
  assert.deepEqual(booleanPair(['Yes', 'no ', 'YES']), ['yes', 'no']);
  assert.deepEqual(booleanPair(['T', 'f']), ['t', 'f']);
  assert.equal(booleanPair(['yes', 'false']), null);
  assert.equal(booleanPair(['yes', 'maybe']), null);
});

test('columns convert between kinds through their dictionary, markers becoming missing', () => {
  const labels = categoryFromStrings(['1,200', ' ', '35', null, '?', '35']);
  const numbers = coerceColumn(labels, { kind: 'number', markers: ['', '?'], number: dot });
  assert.equal(numbers.kind, 'number');
  assert.deepEqual(Array.from((numbers as { values: Float64Array }).values), [1200, NaN, 35, NaN, NaN, 35]);

  const back = coerceColumn(numberColumn(Float64Array.from([1, NaN, 2.5])), { kind: 'category', markers: [] });
  assert.equal(back.kind, 'category');
  if (back.kind === 'category') assert.deepEqual([...back.dictionary], ['1', '2.5']);

  const text = coerceColumn(textColumn(['a', 'NA', null, 'b']), { kind: 'category', markers: ['NA'] });
  if (text.kind !== 'category') assert.fail('expected categories');
  assert.deepEqual(Array.from(text.codes), [0, -1, -1, 1]);

  const dates = coerceColumn(textColumn(['2024-01-02', 'nope']), { kind: 'datetime', markers: [], date: 'iso' });
  assert.deepEqual(Array.from((dates as { values: Float64Array }).values), [Date.UTC(2024, 0, 2), NaN]);
});
