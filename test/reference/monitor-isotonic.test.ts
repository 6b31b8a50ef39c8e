// Isotonic calibration (used to calibrate scores before CBPE) against scikit-learn's
// IsotonicRegression(out_of_bounds='clip') on seeded data with ties, weights and out-of-range queries.

import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { applyIsotonic, fitIsotonic } from '../../src/train/calibration/isotonic.js';
import { assertClose, runPython, scipyOnly } from './monitor-python.js';

test('isotonic calibration matches scikit-learn IsotonicRegression(out_of_bounds="clip")', scipyOnly(['sklearn']), () => {
  const rng = new Rng(11);
  const n = 2000;
  // scores rounded to 2 decimals so many rows tie; labels drawn from a non-linear true probability
  const score = Array.from({ length: n }, () => Math.round(rng.next() * 100) / 100);
  const label = score.map((s) => (rng.next() < s * s ? 1 : 0));
  const weight = score.map(() => 0.5 + rng.next());
  const query = [-0.5, 0, 0.005, 0.123, 0.5, 0.777, 0.999, 1, 1.7];
  const ref = runPython<{ plain: number[]; weighted: number[] }>(
    `
import json, sys
import numpy as np
from sklearn.isotonic import IsotonicRegression
d = json.load(sys.stdin)
x, y, w, q = (np.array(d[k], dtype=float) for k in ('score', 'label', 'weight', 'query'))
plain = IsotonicRegression(out_of_bounds='clip').fit(x, y).predict(q)
weighted = IsotonicRegression(out_of_bounds='clip').fit(x, y, sample_weight=w).predict(q)
print(json.dumps({'plain': plain.tolist(), 'weighted': weighted.tolist()}))
`,
    { score, label, weight, query },
  );
  const plain = applyIsotonic(fitIsotonic(score, label), query);
  const weighted = applyIsotonic(fitIsotonic(score, label, weight), query);
  // both pool ties, run pool-adjacent-violators and interpolate linearly: the same weighted means, summed in a
  // different order, so agreement is to rounding (1e-12)
  query.forEach((q, i) => {
    assertClose(plain[i], ref.plain[i], { abs: 1e-12 }, `plain at ${q}`);
    assertClose(weighted[i], ref.weighted[i], { abs: 1e-12 }, `weighted at ${q}`);
  });
});
