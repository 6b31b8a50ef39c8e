// The request path's record decoder must build exactly the Frame the features layer's recordsToFrame builds, and
// give up (null) on anything recordsToFrame would refuse, so that recordsToFrame reports it.

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { Frame } from '../../src/core/frame.js';
import { recordsToFrame, type Signature } from '../../src/features/index.js';
import { RecordDecoder } from '../../src/serve/record-decoder.js';
import { linearPipeline, testRecords } from './fixtures.js';

function columnsOf(frame: Frame): unknown[] {
  return frame.names.map((name) => {
    const c = frame.column(name);
    return c.kind === 'category' ? { name, kind: c.kind, codes: Array.from(c.codes), dictionary: [...c.dictionary] } : { name, kind: c.kind, values: Array.from(c.values as ArrayLike<unknown>) };
  });
}

describe('RecordDecoder', () => {
  let signature: Signature;
  let records: Record<string, unknown>[];

  before(async () => {
    signature = (await linearPipeline({ rows: 300 })).signature;
    records = await testRecords(1409);
  });

  test('valid records: the same Frame as recordsToFrame, column by column (1,409 telco rows and edge cases)', () => {
    const decoder = new RecordDecoder(signature);
    const edge: Record<string, unknown>[] = [
      { ...records[0], tenure: null, TotalCharges: null },
      { ...records[1], Contract: 'Ten year', PaymentMethod: 'Barter', gender: 'Other' },
      { ...records[2], Contract: 'Ten year' },
      { ...records[3], SeniorCitizen: 1, gender: 7, Partner: true },
      Object.fromEntries(Object.entries(records[4]).filter(([k]) => k !== 'customerID' && k !== 'Churn')),
      Object.assign(Object.create(null) as Record<string, unknown>, records[5]),
      { ...records[6], Churn: null, customerID: null },
    ];
    for (const batch of [records, edge, [records[10]], edge.slice(1, 3)]) {
      const fast = decoder.decode(batch);
      assert.ok(fast, 'decoded');
      assert.deepEqual(columnsOf(fast), columnsOf(recordsToFrame(signature, batch)));
      assert.equal(fast.nRows, batch.length);
    }
  });

  test('anything recordsToFrame refuses makes the decoder give up', () => {
    const decoder = new RecordDecoder(signature);
    const without = (key: string) => Object.fromEntries(Object.entries(records[0]).filter(([k]) => k !== key));
    const bad: unknown[] = [
      { ...records[0], tenure: '12' },
      { ...records[0], tenure: Infinity },
      { ...records[0], tenure: NaN },
      { ...records[0], Contract: { nested: true } },
      { ...records[0], Contract: [1] },
      { ...records[0], customerID: 42 },
      { ...records[0], shoe_size: 44 },
      without('Contract'),
      without('tenure'),
      null,
      [1, 2],
      'text',
    ];
    for (const b of bad) {
      assert.equal(decoder.decode([records[1], b]), null, JSON.stringify(b));
      assert.throws(() => recordsToFrame(signature, [records[1], b]), /invalid input/, JSON.stringify(b));
    }
  });
});
