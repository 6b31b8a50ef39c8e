// detectDrift against a transcription of Evidently's default data-drift logic written with pandas/scipy
// (Evidently itself is not installed): the same test chosen per column, the same scores and decisions.
// One documented difference: for categorical columns on small references Evidently runs scipy's goodness-of-fit
// `chisquare(current, expected from reference)`, Kiln the two-sample homogeneity test chi2_contingency (which
// also counts the reference's own sampling noise and copes with unseen categories); the transcription below uses
// the homogeneity test, and Evidently's z-test for two categories, whose p-value is identical.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { categoryFromStrings, Frame, numberColumn } from '../../src/core/frame.js';
import { Rng } from '../../src/core/rng.js';
import { detectDrift } from '../../src/monitor/dataset-drift.js';
import { assertClose, runPython, scipyOnly } from './monitor-python.js';

interface Raw {
  num: Record<string, (number | null)[]>;
  cat: Record<string, (string | null)[]>;
}

function makeRaw(seed: number, n: number, shift: number): Raw {
  const rng = new Rng(seed);
  const pick = (labels: string[], weights: number[]) => {
    const u = rng.next();
    let acc = 0;
    for (let i = 0; i < labels.length; i++) if (u < (acc += weights[i])) return labels[i];
    return labels[labels.length - 1];
  };
  return {
    num: {
      age: Array.from({ length: n }, () => (rng.next() < 0.05 ? null : Math.round(40 + 12 * rng.normal() + shift * 12))),
      balance: Array.from({ length: n }, () => Math.exp(7 + rng.normal() + shift * 0.3)),
      visits: Array.from({ length: n }, () => rng.int(shift > 0 ? 4 : 3)), // few values
      flag: Array.from({ length: n }, () => (rng.next() < 0.3 + shift * 0.2 ? 1 : 0)), // two values
    },
    cat: {
      job: Array.from({ length: n }, () => (rng.next() < 0.02 ? null : pick(['admin', 'tech', 'sales', 'retired'], [0.4 - shift * 0.2, 0.3, 0.2, 0.1 + shift * 0.2]))),
      contact: Array.from({ length: n }, () => pick(['cell', 'phone'], [0.7, 0.3])),
    },
  };
}

function toFrame(raw: Raw): Frame {
  const cols: [string, ReturnType<typeof numberColumn> | ReturnType<typeof categoryFromStrings>][] = [];
  for (const [name, v] of Object.entries(raw.num)) cols.push([name, numberColumn(Float64Array.from(v, (x) => (x === null ? NaN : x)))]);
  for (const [name, v] of Object.entries(raw.cat)) cols.push([name, categoryFromStrings(v)]);
  return Frame.fromColumns(cols);
}

const EVIDENTLY_RULE = `
import json, sys, math
import numpy as np, pandas as pd
from scipy.stats import ks_2samp, chi2_contingency, wasserstein_distance, norm
from scipy.spatial.distance import jensenshannon

def binned(ref, cur, kind):
    # Evidently's get_binned_data(..., feel_zeroes=False)
    if kind == 'num' and ref.nunique() > 20:
        edges = np.histogram_bin_edges(pd.concat([ref, cur]).values, bins='sturges')
        return np.histogram(ref, edges)[0] / len(ref), np.histogram(cur, edges)[0] / len(cur)
    keys = sorted(set(ref.unique()) | set(cur.unique()))
    rc, cc = ref.value_counts(), cur.value_counts()
    return (np.array([rc.get(k, 0) for k in keys]) / len(ref), np.array([cc.get(k, 0) for k in keys]) / len(cur))

def chi_or_z(ref, cur):
    keys = sorted(set(ref.unique()) | set(cur.unique()))
    table = np.array([[(ref == k).sum() for k in keys], [(cur == k).sum() for k in keys]], dtype=float)
    if len(keys) == 2:
        # Evidently's z_stat_test: pooled two-proportion z-test
        n1, n2 = table[0].sum(), table[1].sum()
        p1, p2 = table[0, 0] / n1, table[1, 0] / n2
        pooled = table[:, 0].sum() / (n1 + n2)
        z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        return 'chi_square', float(2 * (1 - norm.cdf(abs(z))))
    return 'chi_square', float(chi2_contingency(table, correction=False)[1])

def column(ref, cur, kind):
    ref, cur = ref.dropna(), cur.dropna()
    n_values = pd.concat([ref, cur]).nunique()
    if ref.shape[0] <= 1000:
        if kind == 'num' and n_values > 5:
            return 'ks', float(ks_2samp(ref, cur).pvalue), 0.05
        return chi_or_z(ref, cur) + (0.05,)
    if kind == 'num' and n_values > 5:
        return 'wasserstein', float(wasserstein_distance(ref, cur) / max(np.std(ref), 0.001)), 0.1
    pr, pc = binned(ref, cur, kind)
    return 'jensen_shannon', float(jensenshannon(pr, pc, 2)), 0.1

out = []
for case in json.load(sys.stdin):
    res = []
    for kind, group in (('num', 'num'), ('cat', 'cat')):
        for name in case['ref'][group]:
            ref = pd.Series(case['ref'][group][name], dtype=float if kind == 'num' else object)
            cur = pd.Series(case['cur'][group][name], dtype=float if kind == 'num' else object)
            test, score, threshold = column(ref, cur, kind)
            drifted = score < threshold if test in ('ks', 'chi_square') else score >= threshold
            res.append({'column': name, 'test': test, 'score': score, 'drifted': bool(drifted)})
    share = sum(r['drifted'] for r in res) / len(res)
    out.append({'columns': res, 'share': share, 'drifted': share >= 0.5})
print(json.dumps(out))
`;

test('detectDrift chooses, scores and decides like Evidently’s default preset (scipy transcription)', scipyOnly(), () => {
  const cases = [
    { name: 'small reference, no drift', ref: makeRaw(1, 600, 0), cur: makeRaw(2, 300, 0) },
    { name: 'small reference, drift', ref: makeRaw(3, 900, 0), cur: makeRaw(4, 400, 1) },
    { name: 'large reference, no drift', ref: makeRaw(5, 4000, 0), cur: makeRaw(6, 700, 0) },
    { name: 'large reference, drift', ref: makeRaw(7, 4000, 0), cur: makeRaw(8, 700, 1) },
  ];
  const expected = runPython<{ columns: { column: string; test: string; score: number; drifted: boolean }[]; share: number; drifted: boolean }[]>(EVIDENTLY_RULE, cases);
  cases.forEach((c, i) => {
    const mine = detectDrift(toFrame(c.ref), toFrame(c.cur));
    const want = expected[i];
    assert.deepEqual(
      mine.columns.map((col) => [col.column, col.test, col.drifted]),
      want.columns.map((col) => [col.column, col.test, col.drifted]),
      c.name,
    );
    mine.columns.forEach((col, j) =>
      // scores agree to the precision of the statistics themselves (see monitor-stats.test.ts); the z-test p is a
      // subtraction from 1 in scipy, good to ~1e-16 absolute, hence the absolute part
      assertClose(col.score, want.columns[j].score, { rel: 1e-8, abs: 1e-14 }, `${c.name}: ${col.column} (${col.test})`),
    );
    assert.equal(mine.share, want.share, c.name);
    assert.equal(mine.drifted, want.drifted, c.name);
  });
  // the cases exercise every default test
  const tests = new Set(expected.flatMap((e) => e.columns.map((col) => col.test)));
  assert.deepEqual([...tests].sort(), ['chi_square', 'jensen_shannon', 'ks', 'wasserstein']);
});
