import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParamError } from '../../src/core/errors.js';
import { constraints as c, mergeParams, validateParams, type ParamTable } from '../../src/core/params.js';

interface P {
  learningRate: number;
  maxDepth: number;
  loss: string;
}
const table: ParamTable<P> = {
  learningRate: { default: 0.1, doc: 'step size', check: c.gt(0) },
  maxDepth: { default: 6, doc: 'depth', check: c.int(1, 64) },
  loss: { default: 'squared', doc: 'loss', check: c.oneOf('squared', 'absolute') },
};

test('defaults are merged into a frozen copy without touching the input', () => {
  const given = { learningRate: 0.3 };
  const p = mergeParams(table, given);
  assert.deepEqual(p, { learningRate: 0.3, maxDepth: 6, loss: 'squared' });
  assert.ok(Object.isFrozen(p));
  assert.deepEqual(given, { learningRate: 0.3 });
});

test('every bad parameter is reported, each named with its value and the rule', () => {
  const p = mergeParams(table, { learningRate: -1, maxDepth: 2.5, loss: 'cubic' } as Partial<P>);
  assert.throws(
    () => validateParams(table, p, 'Model'),
    (e: unknown) => {
      assert.ok(e instanceof ParamError);
      assert.match(e.message, /learningRate = -1: must be > 0/);
      assert.match(e.message, /maxDepth = 2.5: must be an integer between 1 and 64/);
      assert.match(e.message, /loss = "cubic": must be one of "squared", "absolute"/);
      assert.equal(e.issues.length, 3);
      assert.equal(e.param, 'learningRate');
      return true;
    },
  );
});

test('unknown parameters are rejected with the known ones listed', () => {
  const p = mergeParams(table, { leaningRate: 0.1 } as Partial<P>);
  assert.throws(() => validateParams(table, p), /leaningRate: unknown parameter \(known: learningRate, maxDepth, loss\)/);
});
