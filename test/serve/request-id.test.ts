// Request ids are RFC 9562 version-7 UUIDs: well-formed, unique, and ordered by time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { uuidv7 } from '../../src/serve/request-id.js';

test('uuidv7: format, version and variant bits, the time in front, uniqueness', () => {
  const ids = Array.from({ length: 5000 }, () => uuidv7());
  for (const id of ids.slice(0, 300)) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(new Set(ids).size, ids.length);
  const at = Date.UTC(2026, 10, 25, 4, 50, 0, 123);
  assert.equal(Number.parseInt(uuidv7(at).replace('-', '').slice(0, 12), 16), at);
  assert.ok(uuidv7(at) < uuidv7(at + 1), 'a later millisecond sorts after');
});
