// kiln init → train → runs → evaluate as child processes of the real CLI: files written, the leaderboard
// printed, runs recorded, the winner registered (first as champion, then as candidate), scores on new data,
// and one clear error line (no stack trace) for a broken project file or a bad flag.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertCleanFailure, type CliResult, runKiln } from '../helpers/cli.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHURN = path.join(ROOT, 'examples/churn/telco-churn.csv');

type Result = CliResult;
const kiln = (cwd: string, ...args: string[]): Promise<Result> => runKiln(cwd, args);


const work = mkdtempSync(path.join(os.tmpdir(), 'kiln-cli-train-'));
after(() => rmSync(work, { recursive: true, force: true }));
// a slice of the bundled example: the first 1,200 customers to learn from, the next 300 to evaluate on
const lines = readFileSync(CHURN, 'utf8').split('\n');
writeFileSync(path.join(work, 'churn.csv'), `${lines.slice(0, 1201).join('\n')}\n`);
writeFileSync(path.join(work, 'new.csv'), `${[lines[0], ...lines.slice(1201, 1501)].join('\n')}\n`);

describe('kiln init / train / runs / evaluate', () => {
  test('init proposes the target, task, metric, drops and validation, and writes kiln.yaml', async () => {
    const r = await kiln(work, 'init', 'churn.csv', '--goal', 'predict which customers will churn');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /target\s+Churn\s+— the goal mentions "Churn"/);
    assert.match(r.stdout, /metric\s+roc_auc/);
    assert.match(r.stdout, /drop\s+customerID\s+— identifier/);
    assert.match(r.stdout, /wrote kiln\.yaml/);
    const yaml = readFileSync(path.join(work, 'kiln.yaml'), 'utf8');
    assert.match(yaml, /^target: Churn # the goal mentions "Churn"$/m);
    assert.match(yaml, /^data: churn\.csv/m);
    assertCleanFailure(await kiln(work, 'init', 'churn.csv'), /kiln\.yaml already exists/);
  });

  test('train prints the leaderboard, writes the report, records the run and registers the winner as champion', async () => {
    const r = await kiln(work, 'train', '--trials', '4', '--report', 'report.html');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^run \d{8}-\d{6}-[0-9a-f]{6}: binary on Churn/m);
    assert.match(r.stdout, /★/);
    assert.match(r.stdout, /baseline \(class shares\)/);
    assert.match(r.stdout, /4 configurations tried/);
    assert.match(r.stdout, /registered churn\/1 as champion/);
    assert.match(r.stderr, /searching: \d+ trials, best/);
    assert.ok(existsSync(path.join(work, 'report.html')));
    const again = await kiln(work, 'train', '--trials', '2', '--seed', '7', '--no-register', '--json');
    assert.equal(again.code, 0, again.stderr);
    const json = JSON.parse(again.stdout) as { runId: string; registered: unknown; leaderboard: unknown[]; settings: { seed: number } };
    assert.equal(json.registered, null);
    assert.equal(json.settings.seed, 7);
    const third = await kiln(work, 'train', '--trials', '2');
    assert.match(third.stdout, /registered churn\/2 as candidate \(a champion exists/);
    const models = await kiln(work, 'models', 'churn', '--json');
    assert.equal(models.code, 0, models.stderr);
    const versions = JSON.parse(models.stdout) as { versions: { version: number; aliases: string[]; lineage: { runId: string } }[] };
    const byVersion = new Map(versions.versions.map((v) => [v.version, v]));
    assert.deepEqual(byVersion.get(1)?.aliases, ['champion']);
    assert.deepEqual(byVersion.get(2)?.aliases, ['candidate']);
    assert.match(byVersion.get(1)?.lineage.runId ?? '', /^\d{8}-/);
  });

  test('runs lists, shows and compares runs; --json for scripts', async () => {
    const list = await kiln(work, 'runs');
    assert.equal(list.code, 0, list.stderr);
    assert.equal((list.stdout.match(/\d{8}-\d{6}-[0-9a-f]{6}/g) ?? []).length, 3);
    const json = JSON.parse((await kiln(work, 'runs', '--json')).stdout) as { runs: { id: string; status: string; registryRef: string | null }[] };
    assert.equal(json.runs.length, 3);
    assert.ok(json.runs.every((r) => r.status === 'complete'));
    assert.equal(json.runs[2].registryRef, 'churn/1');
    const [newest, , oldest] = json.runs.map((r) => r.id);
    const one = await kiln(work, 'runs', oldest);
    assert.match(one.stdout, new RegExp(`run ${oldest} \\(complete\\) — churn`));
    assert.match(one.stdout, /registered as churn\/1/);
    assert.match(one.stdout, /holdout: +roc_auc/);
    const cmp = await kiln(work, 'runs', oldest, newest);
    assert.equal(cmp.code, 0, cmp.stderr);
    assert.match(cmp.stdout, /metrics\.cv\.roc_auc/);
    assertCleanFailure(await kiln(work, 'runs', 'nope'), /no run "nope"/);
  });

  test('evaluate scores a run or a registered model on new labelled rows', async () => {
    const r = await kiln(work, 'evaluate', 'latest', 'new.csv');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /on new\.csv: 300 rows/);
    assert.match(r.stdout, /roc_auc/);
    assert.match(r.stdout, /true \\ predicted/);
    const j = JSON.parse((await kiln(work, 'evaluate', 'churn@champion', 'new.csv', '--json')).stdout) as { model: string; metrics: { roc_auc: number } };
    assert.equal(j.model, 'model churn/1');
    assert.ok(j.metrics.roc_auc > 0.7, String(j.metrics.roc_auc));
    assertCleanFailure(await kiln(work, 'evaluate', 'nothing-here', 'new.csv'), /"nothing-here" is neither a run nor a registered model/);
  });

  test('a broken project file or flag is one clear error naming the field', async () => {
    writeFileSync(path.join(work, 'bad.yaml'), 'data: churn.csv\nsplit: { folds: 1 }\n');
    assertCleanFailure(await kiln(work, 'train', 'bad.yaml'), /bad\.yaml is invalid: split\.folds: expected a whole number from 2 to 20, found 1/);
    assertCleanFailure(await kiln(work, 'train', '--time', 'soon'), /--time soon: expected a duration such as 2m, 90s or 1h/);
    assertCleanFailure(await kiln(work, 'train', 'missing.yaml'), /no project file at missing\.yaml/);
  });
});
