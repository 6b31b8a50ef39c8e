// kiln.yaml: the schema names the field, what was expected and what was found, for every problem at once; YAML
// syntax errors name the line; defaults apply; data paths resolve against the file's folder.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { isKilnError, type KilnError } from '../../src/core/errors.js';
import { loadProject, parseProjectYaml } from '../../src/train/project/load.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-project-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function problem(text: string): KilnError {
  try {
    parseProjectYaml(text);
  } catch (e) {
    if (isKilnError(e)) return e;
    throw e;
  }
  throw new Error('expected the project to be refused');
}

test('a minimal project gets the defaults', () => {
  const p = parseProjectYaml('data: churn.csv\n');
  assert.equal(p.data.source, 'churn.csv');
  assert.deepEqual(p.split, { scheme: undefined, folds: 5, column: null, holdout: 0.1 });
  assert.deepEqual(p.budget, { seconds: null, trials: null });
  assert.equal(p.seed, 42);
  assert.deepEqual(p.drop, {});
  assert.equal(p.costs, null);
});

test('every field is read: read options in snake_case, drop with reasons, costs, budget, later steps’ sections', () => {
  const p = parseProjectYaml(`
name: fraud
data: { source: tx.csv, delimiter: ";", skip_lines: 2, missing: [unknown] }
target: Class
task: binary
positive: 1
metric: pr_auc
drop: { id: identifier, duration: leak }
split: { scheme: time, folds: 4, column: at, holdout: 0.2 }
budget: { time: 90s }
seed: 7
families: { include: [gbdt, linear] }
costs: { false_positive: 1, false_negative: 20 }
monitor: { alerts: { webhook: null }, drift: { threshold: 0.1 } }
`);
  assert.deepEqual(p.data.options, { delimiter: ';', skipLines: 2, missing: ['unknown'] });
  assert.equal(p.positive, '1');
  assert.deepEqual(p.drop, { id: 'identifier', duration: 'leak' });
  assert.deepEqual(p.split, { scheme: 'time', folds: 4, column: 'at', holdout: 0.2 });
  assert.equal(p.budget.seconds, 90);
  assert.deepEqual(p.costs, { falsePositive: 1, falseNegative: 20 });
  assert.deepEqual(p.families.include, ['gbdt', 'linear']);
  assert.ok(p.monitor);
  assert.deepEqual(parseProjectYaml('data: a.csv\ndrop: [x, y]\n').drop, { x: 'listed in kiln.yaml', y: 'listed in kiln.yaml' });
});

test('errors name the field, the expectation and what was found — all of them', () => {
  const e = problem('data: a.csv\nsplit: { folds: 1, scheme: random }\nmetric: auc\nbudget: { time: soon }\ncosts: { false_positive: -1, false_negative: 2 }\ncolour: blue\n');
  assert.equal(e.code, 'E_PROJECT');
  const messages = e.issues.map((i) => i.message);
  assert.ok(messages.includes('split.folds: expected a whole number from 2 to 20, found 1'), messages.join('\n'));
  assert.ok(messages.includes('split.scheme: expected one of kfold, stratified, time, group, found "random"'), messages.join('\n'));
  assert.ok(messages.some((m) => m?.startsWith('metric: expected a known metric') && m.endsWith('found "auc"')), messages.join('\n'));
  assert.ok(messages.includes('budget.time: expected a duration such as 2m, 90s or 1h, found "soon"'), messages.join('\n'));
  assert.ok(messages.includes('costs.false_positive: expected a number >= 0, found -1'), messages.join('\n'));
  assert.ok(messages.includes('colour: unknown field (colour)'), messages.join('\n'));
  assert.match(e.message, /^kiln\.yaml is invalid: /);
  assert.match(problem('target: y\n').issues[0].message ?? '', /^data: expected a file path, or a map with `source` and read options, found nothing$/);
  assert.match(problem('data: a.csv\nfamilies: { include: [gbdt, xgb] }\n').message, /families\.include: expected known family names \(gbdt, linear, .*\), found "xgb"/);
});

test('YAML syntax errors name the line; a missing file says how to make one; data paths are relative to the file', async () => {
  assert.match(problem('data: a.csv\nsplit:\n  folds: [1\n').message, /kiln\.yaml line \d+: not valid YAML/);
  await assert.rejects(loadProject(path.join(dir, 'nope.yaml')), (e: unknown) => isKilnError(e) && /no project file/.test(e.message) && /kiln init/.test(e.hint ?? ''));
  const file = path.join(dir, 'sub', 'kiln.yaml');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, 'data: ../data/x.csv\n');
  const loaded = await loadProject(file);
  assert.equal(loaded.source, path.join(dir, 'data', 'x.csv'));
  assert.equal(loaded.dir, path.join(dir, 'sub'));
  writeFileSync(file, 'data: postgres://db/x\n');
  assert.equal((await loadProject(file)).source, 'postgres://db/x');
});
