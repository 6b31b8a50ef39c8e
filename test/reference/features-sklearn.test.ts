// The dense feature chain against scikit-learn's usual preprocessing (the one in ../shared/bench/reference.py:
// median imputation + StandardScaler for numbers, most-frequent imputation + OneHotEncoder(handle_unknown=
// "ignore", min_frequency=5) for categories) on adult: the same columns with the same values, on the training
// rows and on unseen test rows. Also OneHotEncoder's max_categories rule and OrdinalEncoder.
// Tolerance 1e-12 absolute: the values are the same formulas (mean, population std, medians) summed in a
// different order; observed differences are ~1e-15.

import assert from 'node:assert/strict';
import path from 'node:path';
import { test } from 'node:test';
import { type CategoryColumn, Frame } from '../../src/core/frame.js';
import { fitFeatureChain, OneHotEncoder, OrdinalEncoder } from '../../src/features/index.js';
import { DATASETS_DIR, datasetAvailable, readCsvFrame } from './datasets.js';
import { runPython, sklearnOnly } from './sklearn-bridge.js';

const TRAIN_ROWS = 3000;
const TEST_ROWS = 1000;
const need = datasetAvailable('adult') ? sklearnOnly() : { skip: 'dataset adult is not available' };
const file = (split: string) => path.join(DATASETS_DIR, 'adult', `${split}.csv`);

const SCRIPT = `
import json, sys
import numpy as np, pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder, StandardScaler
d = json.load(sys.stdin)
read = lambda f, n: pd.read_csv(f, nrows=n, na_values=['?', ''], skipinitialspace=True)
tr, te = read(d['train'], d['trainRows']), read(d['test'], d['testRows'])
for f in (tr, te): f.pop('income')
cat = [c for c in tr.columns if tr[c].dtype == object]
num = [c for c in tr.columns if c not in cat]
dense = ColumnTransformer([
    ('num', make_pipeline(SimpleImputer(strategy='median'), StandardScaler()), num),
    ('cat', make_pipeline(SimpleImputer(strategy='most_frequent'), OneHotEncoder(handle_unknown='ignore', min_frequency=5)), cat),
], sparse_threshold=0)
a = dense.fit_transform(tr)
b = dense.transform(te)
out = {'names': dense.get_feature_names_out().tolist(), 'train': a.T.tolist(), 'test': b.T.tolist()}
oh = OneHotEncoder(handle_unknown='ignore', max_categories=6, min_frequency=3, sparse_output=False).fit(tr[['occupation', 'native-country']].fillna('NA'))
out['capped'] = oh.get_feature_names_out().tolist()
oe = OrdinalEncoder(handle_unknown='use_encoded_value', unknown_value=np.nan, encoded_missing_value=np.nan).fit(tr[cat])
out['ordinal'] = [[None if v != v else v for v in col] for col in oe.transform(te[cat]).T.tolist()]
json.dump(out, sys.stdout)
`;

interface Ref {
  names: string[];
  train: (number | null)[][];
  test: (number | null)[][];
  capped: string[];
  ordinal: (number | null)[][];
}

/** our column name → scikit-learn's feature name */
function sklearnName(ours: string, numeric: Set<string>): string {
  if (numeric.has(ours)) return `num__${ours}`;
  const at = ours.indexOf('=');
  const column = ours.slice(0, at);
  const level = ours.slice(at + 1);
  return `cat__${column}_${level === '(other)' ? 'infrequent_sklearn' : level}`;
}

test('the dense chain equals scikit-learn\'s impute + scale + one-hot on adult, training and unseen rows', need, async () => {
  const train = (await readCsvFrame(file('train'), { rows: TRAIN_ROWS })).drop(['income']);
  const testRows = (await readCsvFrame(file('test'), { rows: TEST_ROWS })).drop(['income']);
  const ref = runPython<Ref>(SCRIPT, { train: file('train'), test: file('test'), trainRows: TRAIN_ROWS, testRows: TEST_ROWS });
  const { chain, x } = fitFeatureChain(train, { categoryImpute: 'most-frequent', missingIndicators: false, minFrequency: 5, maxOneHotLevels: 1000 });
  const numeric = new Set(train.names.filter((n) => train.column(n).kind === 'number'));
  const ours = chain.features.map((f) => sklearnName(f.name, numeric));
  assert.deepEqual([...ours].sort(), [...ref.names].sort(), 'same output columns');
  const xt = chain.transform(testRows);
  let worst = 0;
  for (const [matrix, refColumns, n] of [[x, ref.train, TRAIN_ROWS], [xt, ref.test, TEST_ROWS]] as const) {
    ours.forEach((name, j) => {
      const r = refColumns[ref.names.indexOf(name)];
      for (let i = 0; i < n; i++) {
        const d = Math.abs(matrix.data[j * n + i] - (r[i] as number));
        worst = Math.max(worst, d);
        if (!(d <= 1e-12)) assert.fail(`${name} row ${i}: kiln ${matrix.data[j * n + i]} vs scikit-learn ${r[i]}`);
      }
    });
  }
  assert.ok(worst <= 1e-12);
});

test('one-hot max_categories and the ordinal encoder follow scikit-learn', need, async () => {
  const train = (await readCsvFrame(file('train'), { rows: TRAIN_ROWS })).drop(['income']);
  const testRows = (await readCsvFrame(file('test'), { rows: TEST_ROWS })).drop(['income']);
  const ref = runPython<Ref>(SCRIPT, { train: file('train'), test: file('test'), trainRows: TRAIN_ROWS, testRows: TEST_ROWS });
  // scikit-learn saw gaps as the label "NA"
  const filled = Frame.fromColumns(
    ['occupation', 'native-country'].map((name) => {
      const c = train.column(name) as CategoryColumn;
      const dictionary = [...c.dictionary, 'NA'];
      return [name, { kind: 'category' as const, codes: c.codes.map((k) => (k < 0 ? dictionary.length - 1 : k)), dictionary }] as const;
    }),
  );
  const capped = OneHotEncoder.fit(filled, { maxCategories: 6, minFrequency: 3 });
  assert.deepEqual(capped.outputNames.map((n) => n.replace('=(other)', '_infrequent_sklearn').replace('=', '_')), ref.capped);
  const categories = train.names.filter((n) => train.column(n).kind === 'category');
  const ordinal = OrdinalEncoder.fit(train, { columns: categories }).transform(testRows);
  categories.forEach((name, j) => {
    const ours = [...(ordinal.column(name) as { values: Float64Array }).values].map((v) => (Number.isNaN(v) ? null : v));
    assert.deepEqual(ours, ref.ordinal[j], name);
  });
});
