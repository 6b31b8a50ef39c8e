import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';

test('the same seed gives the same sequence, a different seed a different one', () => {
  const a = new Rng(7);
  const b = new Rng(7);
  const c = new Rng(8);
  const sa = Array.from({ length: 20 }, () => a.nextUint32());
  const sb = Array.from({ length: 20 }, () => b.nextUint32());
  const sc = Array.from({ length: 20 }, () => c.nextUint32());
  assert.deepEqual(sa, sb);
  assert.notDeepEqual(sa, sc);
});

test('next() is uniform in [0, 1) and normal() has mean 0 and variance 1', () => {
  const r = new Rng(1);
  let sum = 0;
  let min = 1;
  let max = 0;
  const n = 100_000;
  for (let i = 0; i < n; i++) {
    const v = r.next();
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  assert.ok(Math.abs(sum / n - 0.5) < 0.01);
  assert.ok(min >= 0 && max < 1);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < n; i++) {
    const v = r.normal();
    s1 += v;
    s2 += v * v;
  }
  assert.ok(Math.abs(s1 / n) < 0.02);
  assert.ok(Math.abs(s2 / n - 1) < 0.03);
});

test('int(n) covers 0..n-1 evenly; sample(n, k) gives k sorted distinct indices', () => {
  const r = new Rng(3);
  const counts = new Array(5).fill(0);
  for (let i = 0; i < 50_000; i++) counts[r.int(5)]++;
  for (const c of counts) assert.ok(Math.abs(c - 10_000) < 500);
  for (const k of [3, 60, 100]) {
    const s = r.sample(100, k);
    assert.equal(s.length, k);
    assert.equal(new Set(s).size, k);
    for (let i = 1; i < s.length; i++) assert.ok(s[i] > s[i - 1]);
  }
});

test('fork gives independent but reproducible streams', () => {
  const a = new Rng(5).fork();
  const b = new Rng(5).fork();
  assert.equal(a.nextUint32(), b.nextUint32());
});
