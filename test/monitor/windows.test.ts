import assert from 'node:assert/strict';
import { test } from 'node:test';
import { concatFrames, Frame, numberColumn, categoryFromStrings } from '../../src/core/frame.js';
import { Rng } from '../../src/core/rng.js';
import { driftOverWindows, rowWindows, timeWindows } from '../../src/monitor/windows.js';

test('row windows are consecutive; a short tail is kept only when it is at least half a window', () => {
  assert.deepEqual(
    rowWindows(2500, 1000).map((w) => [w.label, w.rows.length, w.rows[0]]),
    [
      ['rows 0–999', 1000, 0],
      ['rows 1000–1999', 1000, 1000],
      ['rows 2000–2499', 500, 2000],
    ],
  );
  assert.equal(rowWindows(2400, 1000).length, 2);
  assert.equal(rowWindows(2400, 1000, { minRows: 1 }).length, 3);
  assert.equal(rowWindows(300, 1000).length, 1); // a single short window is still a window
  assert.throws(() => rowWindows(10, 0), /window size = 0: must be an integer >= 1/);
});

test('time windows bucket by width or calendar unit in UTC, oldest first, skipping rows without a time', () => {
  const t = (iso: string) => Date.parse(iso);
  const times = [t('2024-01-03T10:00:00Z'), NaN, t('2024-01-01T23:59:59Z'), t('2024-01-03T00:00:00Z'), t('2024-02-15T12:00:00Z')];
  assert.deepEqual(
    timeWindows(times, 'day').map((w) => [w.label, [...w.rows]]),
    [
      ['2024-01-01T00:00:00.000Z', [2]],
      ['2024-01-03T00:00:00.000Z', [0, 3]],
      ['2024-02-15T00:00:00.000Z', [4]],
    ],
  );
  // 2024-01-01 is a Monday: the ISO week holds the first four rows
  const weeks = timeWindows(times, 'week');
  assert.deepEqual(weeks[0].label, '2024-01-01T00:00:00.000Z');
  assert.deepEqual([...weeks[0].rows], [0, 2, 3]);
  const months = timeWindows(times, 'month');
  assert.deepEqual(
    months.map((w) => [w.label, new Date(w.end).toISOString()]),
    [
      ['2024-01-01T00:00:00.000Z', '2024-02-01T00:00:00.000Z'],
      ['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
    ],
  );
  const sixHours = timeWindows(times, 6 * 3_600_000);
  assert.equal(sixHours[0].end - sixHours[0].start, 6 * 3_600_000);
  assert.equal(timeWindows(times, 'hour').length, 4);
  assert.throws(() => timeWindows(times, -5), /window width = -5: must be > 0 ms/);
});

test('drift over windows: the window where a column shifts is the one flagged', () => {
  const rng = new Rng(3);
  const make = (n: number, shift: number) =>
    Frame.fromColumns({
      x: numberColumn(Float64Array.from({ length: n }, () => rng.normal() + shift)),
      y: numberColumn(Float64Array.from({ length: n }, () => rng.normal())),
      g: categoryFromStrings(Array.from({ length: n }, () => (rng.next() < 0.5 ? 'u' : 'v'))),
    });
  const reference = make(900, 0);
  const current = concatFrames([make(400, 0), make(400, 0), make(400, 1)]);
  const result = driftOverWindows(reference, current, rowWindows(current.nRows, 400));
  assert.equal(result.windows.length, 3);
  const x = result.series.find((s) => s.column === 'x');
  assert.ok(x);
  assert.deepEqual([...x.drifted], [0, 0, 1]);
  assert.deepEqual(x.tests, ['ks', 'ks', 'ks']);
  assert.ok(x.scores[2] < 1e-10 && x.scores[0] > 0.05 && x.scores[1] > 0.05);
  assert.deepEqual([...result.share], result.windows.map((w) => w.drift.share));
  assert.equal(driftOverWindows(reference, current, rowWindows(current.nRows, 400), { minRows: 500 }).windows.length, 0);
});
