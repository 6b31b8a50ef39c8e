import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeArtifact, encodeArtifact, nestArtifact, unnestArtifact, type Artifact } from '../../src/core/artifact.js';
import { ModelFormatError } from '../../src/core/errors.js';

const sample = (): Artifact => ({
  kind: 'test.model',
  meta: { params: { a: 1 }, names: ['x', 'y'] },
  arrays: {
    weights: Float64Array.from([1.5, -2, NaN]),
    nodes: Int32Array.from([1, 2, 3, -1]),
    bins: Uint8Array.from([7, 8, 9]),
  },
});

test('encode → decode gives back the same kind, meta and arrays', () => {
  const bytes = encodeArtifact(sample());
  const back = decodeArtifact(bytes);
  assert.equal(back.kind, 'test.model');
  assert.deepEqual(back.meta, sample().meta);
  assert.deepEqual(back.arrays.weights, sample().arrays.weights);
  assert.deepEqual(back.arrays.nodes, sample().arrays.nodes);
  assert.deepEqual(back.arrays.bins, sample().arrays.bins);
});

test('encoding is deterministic', () => {
  assert.deepEqual(encodeArtifact(sample()), encodeArtifact(sample()));
});

test('a damaged file is refused: magic, version, truncation, flipped byte', () => {
  const bytes = encodeArtifact(sample());
  const badMagic = bytes.slice();
  badMagic[0] = 0;
  assert.throws(() => decodeArtifact(badMagic, 'm.kiln'), (e: unknown) => e instanceof ModelFormatError && /m.kiln: bad magic/.test(e.message));
  const badVersion = bytes.slice();
  badVersion[4] = 99;
  assert.throws(() => decodeArtifact(badVersion), /format version 99/);
  assert.throws(() => decodeArtifact(bytes.slice(0, 20)), /too short|out of bounds|checksum/);
  const flipped = bytes.slice();
  flipped[bytes.length - 40] ^= 1;
  assert.throws(() => decodeArtifact(flipped), /checksum mismatch/);
});

test('nested artifacts round-trip through a parent', () => {
  const child = sample();
  const { entry, arrays } = nestArtifact('model', child);
  const parent: Artifact = { kind: 'pipeline', meta: { model: entry }, arrays };
  const back = decodeArtifact(encodeArtifact(parent));
  const inner = unnestArtifact(back, back.meta.model);
  assert.equal(inner.kind, 'test.model');
  assert.deepEqual(inner.arrays.nodes, child.arrays.nodes);
});

test('a Node Buffer (as fs.readFile returns, a view into a shared pool) decodes to the same arrays', () => {
  const bytes = encodeArtifact(sample());
  const pooled = Buffer.concat([Buffer.from('padding-'), Buffer.from(bytes)]).subarray(8);
  const back = decodeArtifact(pooled);
  assert.deepEqual(back.arrays.weights, sample().arrays.weights);
  assert.deepEqual(back.arrays.nodes, sample().arrays.nodes);
});
