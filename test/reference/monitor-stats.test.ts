// The monitor's statistics against scipy/numpy on fixed seeded data: two-sample KS (exact and asymptotic
// branches of ks_2samp's 'auto' method), kstwo.sf, chi-square homogeneity, Wasserstein-1, Jensen–Shannon and
// PSI. Each tolerance says why it is what it is.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { countInBins, histogramCounts, quantileEdges, sturgesEdges } from '../../src/monitor/stats/binning.js';
import { chiSquareHomogeneity } from '../../src/monitor/stats/chi-square.js';
import { jensenShannonDistance, populationStabilityIndex, wassersteinDistance } from '../../src/monitor/stats/distances.js';
import { kolmogorovSf, smirnovSf } from '../../src/monitor/stats/kolmogorov.js';
import { ksTwoSample } from '../../src/monitor/stats/ks-two-sample.js';
import { chiSquareSf, gammaP } from '../../src/monitor/stats/special.js';
import { assertClose, runPython, scipyOnly } from './monitor-python.js';

function normals(rng: Rng, n: number, shift = 0, scale = 1): number[] {
  return Array.from({ length: n }, () => shift + scale * rng.normal());
}
function integers(rng: Rng, n: number, k: number): number[] {
  return Array.from({ length: n }, () => rng.int(k));
}
const sorted = (a: number[]): Float64Array => Float64Array.from(a).sort();

test('two-sample KS matches scipy.stats.ks_2samp (method auto) on exact and asymptotic cases', scipyOnly(), () => {
  const rng = new Rng(20260101);
  const cases: { name: string; a: number[]; b: number[] }[] = [
    { name: 'tiny 3 vs 4', a: normals(rng, 3), b: normals(rng, 4, 0.5) },
    { name: 'equal sizes 50/50 (scipy: square formula)', a: normals(rng, 50), b: normals(rng, 50, 0.3) },
    { name: '20 vs 30, shifted', a: normals(rng, 20), b: normals(rng, 30, 0.8) },
    { name: 'ties: integers 0..9, 200 vs 150', a: integers(rng, 200, 10), b: integers(rng, 150, 10) },
    { name: '1000 vs 800, same distribution', a: normals(rng, 1000), b: normals(rng, 800) },
    { name: '300 vs 300, shift 1 (tiny p)', a: normals(rng, 300), b: normals(rng, 300, 1) },
    { name: '7 vs 3000', a: normals(rng, 7), b: normals(rng, 3000) },
    { name: '10000 vs 1000 (largest exact)', a: normals(rng, 10000), b: normals(rng, 1000, 0.05) },
    { name: '12000 vs 500 (asymptotic, Durbin region)', a: normals(rng, 12000), b: normals(rng, 500, 0.05) },
    { name: '20000 vs 60 (asymptotic, n <= 140)', a: normals(rng, 20000), b: normals(rng, 60, 0.2) },
    { name: '15000 vs 15000 (asymptotic, Pelz–Good region)', a: normals(rng, 15000), b: normals(rng, 15000, 0.02) },
    { name: '11000 vs 9000, shift 0.2 (asymptotic, Smirnov tail)', a: normals(rng, 11000), b: normals(rng, 9000, 0.2) },
  ];
  const ref = runPython<{ d: number; p: number }[]>(
    `
import json, sys
from scipy.stats import ks_2samp
out = []
for c in json.load(sys.stdin):
    r = ks_2samp(c['a'], c['b'])
    out.append({'d': float(r.statistic), 'p': float(r.pvalue)})
print(json.dumps(out))
`,
    cases,
  );
  cases.forEach((c, i) => {
    const mine = ksTwoSample(sorted(c.a), sorted(c.b));
    assert.equal(mine.method, Math.max(c.a.length, c.b.length) <= 10000 ? 'exact' : 'asymp', c.name);
    // D is a ratio of integers; scipy subtracts two float CDF values, so the two may differ in the last bits
    assertClose(mine.statistic, ref[i].d, { abs: 1e-12 }, `${c.name}: D`);
    // Exact p: the same path-counting recursion, rounded in a different order over up to ~10⁷ steps (observed
    // ≤ 2e-12 relative). Asymptotic p: the same formulas (Durbin, Pelz–Good, Smirnov sum), but ours sums the
    // Smirnov terms in log space (observed ≤ 3e-9 relative). 1e-8 covers both; p below 1e-300 counts as 0.
    assertClose(mine.pValue, ref[i].p, { rel: 1e-8, abs: 1e-300 }, `${c.name}: p`);
  });
});

test('the finite-n Kolmogorov distribution matches scipy.stats.kstwo.sf and special.smirnov across all regions', scipyOnly(), () => {
  const grid: [number, number][] = [];
  for (const n of [1, 2, 3, 10, 50, 140, 141, 400, 1000, 5000, 30000, 100000, 250000])
    for (const x of [0.0008, 0.003, 0.01, 0.02, 0.04, 0.07, 0.1, 0.18, 0.3, 0.49, 0.5, 0.75, 0.95]) grid.push([n, x]);
  const ref = runPython<{ k: number[]; s: number[] }>(
    `
import json, sys
from scipy.stats import kstwo
from scipy.special import smirnov
g = json.load(sys.stdin)
print(json.dumps({'k': [float(kstwo.sf(x, n)) for n, x in g], 's': [float(smirnov(n, x)) for n, x in g]}))
`,
    grid,
  );
  grid.forEach(([n, x], i) => {
    // same region plan (Simard & L'Ecuyer); the log-space Smirnov sum accumulates log C(n, j) over n terms,
    // which at n = 250,000 costs ~3e-9 relative (observed); 1e-8 leaves a margin
    assertClose(kolmogorovSf(n, x), ref.k[i], { rel: 1e-8, abs: 1e-300 }, `kstwo.sf(${x}, ${n})`);
    assertClose(smirnovSf(n, x), ref.s[i], { rel: 1e-8, abs: 1e-300 }, `smirnov(${n}, ${x})`);
  });
});

test('chi-square homogeneity matches scipy chi2_contingency(correction=False), unseen categories included', scipyOnly(), () => {
  const tables: { name: string; ref: number[]; cur: number[] }[] = [
    { name: 'two categories', ref: [430, 570], cur: [260, 240] },
    { name: 'five categories, same distribution', ref: [100, 200, 300, 250, 150], cur: [48, 101, 155, 120, 76] },
    { name: 'a category unseen in the reference', ref: [500, 300, 200, 0], cur: [240, 150, 90, 20] },
    { name: 'a category that vanished', ref: [500, 300, 200, 40], cur: [240, 150, 110, 0] },
    { name: 'large shift (tiny p)', ref: [9000, 1000, 500], cur: [5000, 4000, 1500] },
    { name: 'small counts', ref: [3, 1, 4], cur: [1, 5, 2] },
  ];
  const ref = runPython<{ stat: number; dof: number; p: number; zp: number }[]>(
    `
import json, sys, math
import numpy as np
from scipy.stats import chi2_contingency, norm
out = []
for t in json.load(sys.stdin):
    table = np.array([t['ref'], t['cur']], dtype=float)
    table = table[:, table.sum(axis=0) > 0]
    stat, p, dof, _ = chi2_contingency(table, correction=False)
    zp = None
    if table.shape[1] == 2:
        # Evidently's two-proportion z-test on the first category
        n1, n2 = table[0].sum(), table[1].sum()
        p1, p2 = table[0, 0] / n1, table[1, 0] / n2
        pooled = (table[0, 0] + table[1, 0]) / (n1 + n2)
        z = (p1 - p2) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        zp = float(2 * (1 - norm.cdf(abs(z))))
    out.append({'stat': float(stat), 'dof': int(dof), 'p': float(p), 'zp': zp})
print(json.dumps(out))
`,
    tables,
  );
  tables.forEach((t, i) => {
    const mine = chiSquareHomogeneity(t.ref, t.cur);
    // the statistic is a short sum of the same terms: agreement to rounding (1e-12 relative)
    assertClose(mine.statistic, ref[i].stat, { rel: 1e-12 }, `${t.name}: statistic`);
    assert.equal(mine.dof, ref[i].dof, t.name);
    // scipy's chi2.sf (cephes igamc) and our series/continued fraction both reach ~1e-14; allow 1e-10 relative
    assertClose(mine.pValue, ref[i].p, { rel: 1e-10, abs: 1e-300 }, `${t.name}: p`);
    // scipy's z-test p is 2·(1 - Φ(|z|)), computed by subtraction: only ~1e-16 absolute, hence the abs tolerance
    if (ref[i].zp !== null) assertClose(mine.pValue, ref[i].zp as number, { abs: 1e-12 }, `${t.name}: z-test p`);
  });
});

test('chiSquareSf and gammaP match scipy over small and large degrees of freedom', scipyOnly(), () => {
  const points: [number, number][] = [];
  for (const dof of [1, 2, 3, 7, 30, 200, 2000]) for (const f of [0.01, 0.3, 0.9, 1, 1.2, 2, 5]) points.push([dof * f, dof]);
  const ref = runPython<{ sf: number[]; p: number[] }>(
    `
import json, sys
from scipy.stats import chi2
from scipy.special import gammainc
pts = json.load(sys.stdin)
print(json.dumps({'sf': [float(chi2.sf(x, k)) for x, k in pts], 'p': [float(gammainc(k / 2, x / 2)) for x, k in pts]}))
`,
    points,
  );
  points.forEach(([x, k], i) => {
    // both are accurate to ~1e-14 relative; 1e-10 leaves room for log-gamma rounding at 2000 degrees of freedom
    assertClose(chiSquareSf(x, k), ref.sf[i], { rel: 1e-10, abs: 1e-300 }, `chi2.sf(${x}, ${k})`);
    assertClose(gammaP(k / 2, x / 2), ref.p[i], { rel: 1e-10, abs: 1e-300 }, `gammainc(${k / 2}, ${x / 2})`);
  });
});

test('Wasserstein-1, Jensen–Shannon (Evidently binning) and quantile PSI match scipy/numpy', scipyOnly(), () => {
  const rng = new Rng(7);
  const cases = [
    { name: 'normal vs shifted normal', a: normals(rng, 800), b: normals(rng, 500, 0.4, 1.3) },
    { name: 'integers with ties', a: integers(rng, 300, 30), b: integers(rng, 400, 25) },
    { name: 'zero-inflated', a: [...Array(200).fill(0), ...normals(rng, 100, 5)], b: [...Array(100).fill(0), ...normals(rng, 150, 5.5)] },
    { name: 'current beyond the reference range', a: normals(rng, 400), b: normals(rng, 300, 3) },
  ];
  const ref = runPython<{ w: number; js2: number; jse: number; psi: number }[]>(
    `
import json, sys
import numpy as np
from scipy.stats import wasserstein_distance
from scipy.spatial.distance import jensenshannon
out = []
for c in json.load(sys.stdin):
    a, b = np.array(c['a']), np.array(c['b'])
    # Evidently's get_binned_data for numeric columns with > 20 distinct reference values
    edges = np.histogram_bin_edges(np.concatenate([a, b]), bins='sturges')
    pa, pb = np.histogram(a, edges)[0] / len(a), np.histogram(b, edges)[0] / len(b)
    # PSI as Kiln defines it: 10 reference-quantile bins (numpy linear quantiles, duplicates dropped),
    # right-closed, open-ended outer bins, empty bins set to 1e-4
    q = np.unique(np.quantile(a, np.arange(1, 10) / 10))
    ra = np.bincount(np.searchsorted(q, a, side='left'), minlength=len(q) + 1) / len(a)
    rb = np.bincount(np.searchsorted(q, b, side='left'), minlength=len(q) + 1) / len(b)
    ra[ra == 0] = 1e-4
    rb[rb == 0] = 1e-4
    out.append({'w': float(wasserstein_distance(a, b)), 'js2': float(jensenshannon(pa, pb, 2)),
                'jse': float(jensenshannon(pa, pb)), 'psi': float(np.sum((rb - ra) * np.log(rb / ra)))})
print(json.dumps(out))
`,
    cases,
  );
  cases.forEach((c, i) => {
    const a = sorted(c.a);
    const b = sorted(c.b);
    // the same sums in a different order: 1e-12 relative
    assertClose(wassersteinDistance(a, b), ref[i].w, { rel: 1e-12 }, `${c.name}: wasserstein`);
    const edges = sturgesEdges(a, b);
    const ha = histogramCounts(a, edges);
    const hb = histogramCounts(b, edges);
    assertClose(jensenShannonDistance(ha, hb, 2), ref[i].js2, { rel: 1e-12 }, `${c.name}: jensen-shannon base 2`);
    assertClose(jensenShannonDistance(ha, hb, Math.E), ref[i].jse, { rel: 1e-12 }, `${c.name}: jensen-shannon base e`);
    const q = quantileEdges(a, 10);
    assertClose(populationStabilityIndex(countInBins(a, q), countInBins(b, q)), ref[i].psi, { rel: 1e-12 }, `${c.name}: psi`);
  });
});
