// `kiln monitor`, `kiln retrain`, `kiln serve --monitor-every` and `kiln rollback` as child processes of the real
// CLI, in a project trained by `kiln train`: the scheduled check inside the server alerts through the webhook,
// `kiln monitor --fail-on drift` exits with code 3 and writes its report, labels come from a file, `kiln retrain`
// decides from the logged requests with their labels and the running server follows the new champion.

import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { writeFrame } from '../../src/data/index.js';
import { type AlertPayload } from '../../src/monitor/service/index.js';
import { postJson, recordsOf, TELCO, telco } from '../serve/fixtures.js';
import { replay, webhookReceiver } from '../monitor/helpers.js';
import { type CliResult, runKiln, startKiln } from '../helpers/cli.js';


const start = (cwd: string, args: string[]): ChildProcess => startKiln(cwd, args);
const kiln = (cwd: string, args: string[]): Promise<CliResult> => runKiln(cwd, args);

async function eventually(ready: () => boolean | Promise<boolean>, what: string, limitMs = 60_000): Promise<void> {
  const t0 = Date.now();
  while (!(await ready())) {
    if (Date.now() - t0 > limitMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('kiln monitor / retrain / serve --monitor-every', () => {
  let dir: string;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;
  let server: ChildProcess;
  let url: string;
  let serverErr = '';
  let shiftedSent: Awaited<ReturnType<typeof replay>>;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'kiln-cli-monitor-'));
    receiver = await webhookReceiver();
    await writeFrame((await telco('train')).slice(0, 1500), path.join(dir, 'train.csv'));
    writeFileSync(
      path.join(dir, 'kiln.yaml'),
      `name: churn\ndata: train.csv\ntarget: Churn\npositive: "Yes"\nmetric: roc_auc\ndrop: [customerID]\nfamilies: { include: [linear] }\nseed: 5\nmonitor:\n  drift: { min_rows: 600 }\n  alerts: { webhook: "${receiver.url}" }\n  retrain: { evaluation: 0.25, margin: 0.005, trials: 2 }\n`,
    );
    const trained = await kiln(dir, ['train', '--trials', '2']);
    assert.equal(trained.code, 0, trained.stderr);
    assert.match(trained.stdout, /registered churn\/1 as champion/);
  });
  after(async () => {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'close');
    }
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('kiln serve --monitor-every: the scheduled check alerts through the webhook when a column shifts', async () => {
    server = start(dir, ['serve', '--port', '0', '--watch-interval', '100', '--monitor-every', '1s']);
    server.stderr!.on('data', (d: Buffer) => (serverErr += d.toString()));
    let out = '';
    url = await new Promise<string>((resolve, reject) => {
      server.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)[^]*try:/.exec(out);
        if (m) resolve(m[1]);
      });
      server.on('close', (code) => reject(new Error(`kiln serve exited with ${code}: ${serverErr}`)));
    });
    assert.match(out, /monitor: every 1s, alerts to http:\/\/127\.0\.0\.1:\d+\/hook/);
    await replay(url, 'churn@champion', recordsOf(await telco('test'), 1000));
    // rows the model never saw, tenure 30 months later
    shiftedSent = await replay(url, 'churn@champion', recordsOf(await telco('train'), 800, 2000).map((r) => ({ ...r, tenure: (r.tenure as number) + 30 })));
    await eventually(() => receiver.bodies.length > 0, `a webhook alert (server stderr: ${serverErr})`);
    const alert = receiver.bodies[0] as AlertPayload;
    assert.equal(alert.model, 'churn');
    assert.deepEqual(alert.failed, ['drift']);
    assert.ok((alert.drift as { columns: { column: string }[] }).columns.some((c) => c.column === 'tenure'));
  });

  test('kiln monitor --fail-on drift exits with code 3, names the column and writes the report', async () => {
    const alerts = receiver.bodies.length;
    const r = await kiln(dir, ['monitor', 'churn@champion', '--last', '800', '--fail-on', 'drift', '--report', 'monitor.html']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout, /^churn\/1 \(@champion\) — binary, judged on roc_auc/);
    assert.match(r.stdout, /reference: stored with churn\/1: training data train\.csv/);
    assert.match(r.stdout, /drift {8}FAIL {2}column(s)? drifted: .*tenure \(wasserstein/);
    assert.match(r.stdout, /alert: POST http:\/\/127\.0\.0\.1:\d+\/hook → 204/);
    assert.match(r.stderr, /failed drift \(--fail-on drift\)/);
    assert.ok(existsSync(path.join(dir, 'monitor.html')));
    assert.match(readFileSync(path.join(dir, 'monitor.html'), 'utf8'), /<title>Monitoring report: churn\/1<\/title>/);
    // the server's schedule keeps alerting too: find the one this command sent (its window is the last 800 rows)
    assert.ok(receiver.bodies.slice(alerts).some((b) => /last 800 rows/.test((b as AlertPayload).current.source)));
    // undrifted data from a file passes and exits 0 even with --fail-on
    const calm = await kiln(dir, ['monitor', 'churn@champion', '--data', path.join(TELCO, 'test.csv'), '--fail-on', 'drift', '--no-alert', '--no-record']);
    assert.equal(calm.code, 0, calm.stdout + calm.stderr);
    assert.match(calm.stdout, /drift {8}PASS/);
  });

  test('kiln monitor --labels imports labels by request id; --json gives the whole result', async () => {
    const labels = path.join(dir, 'labels.csv');
    writeFileSync(labels, `request_id,row_index,Churn\n${shiftedSent.map((s) => `${s.requestId},${s.rowIndex},${s.record.Churn}`).join('\n')}\n`);
    const r = await kiln(dir, ['monitor', 'churn@champion', '--last', '800', '--labels', labels, '--json', '--no-alert']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.model, 'churn');
    assert.equal(json.current.rows, 800);
    assert.equal(json.current.labelled, 800);
    assert.deepEqual(json.failed.includes('drift'), true);
    assert.equal(json.performance.basis, 'realised');
    assert.ok(json.drift.columns.some((c: { column: string; drifted: boolean }) => c.column === 'tenure' && c.drifted));
  });

  test('kiln retrain trains on the labelled log, decides with numbers, and the running server follows; rollback undoes it', async () => {
    const r = await kiln(dir, ['retrain', 'churn']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^retrained churn from prediction log of churn with feedback: 600 rows to train on, the 200 most recent labelled rows to compare on/);
    assert.match(r.stdout, /champion\s*│\s*churn\/1\s*│\s*0\.\d{4}/);
    assert.match(r.stdout, /challenger\s*│\s*churn\/2\s*│\s*0\.\d{4}/);
    const promoted = /\npromoted: /.test(r.stdout);
    assert.ok(promoted || /\nnot promoted: /.test(r.stdout), r.stdout);
    const history = JSON.parse((await kiln(dir, ['retrain', 'churn', '--history', '--json'])).stdout);
    assert.equal(history.length, 1);
    assert.equal(history[0].promoted, promoted);
    assert.equal(history[0].challengerVersion, 2);
    const want = promoted ? 2 : 1;
    await eventually(async () => (await postJson(url, '/v1/models/churn@champion/predict', recordsOf(await telco('test'), 1)[0])).json.model.version === want, `the server to serve version ${want}`);
    if (promoted) {
      const back = await kiln(dir, ['rollback', 'churn', '--alias', 'champion']);
      assert.equal(back.code, 0, back.stderr);
      await eventually(async () => (await postJson(url, '/v1/models/churn@champion/predict', recordsOf(await telco('test'), 1)[0])).json.model.version === 1, 'the server to serve version 1 again');
    }
  });

  test('bad arguments fail with one clear message', async () => {
    const bogus = await kiln(dir, ['monitor', 'churn', '--fail-on', 'bogus']);
    assert.equal(bogus.code, 1);
    assert.match(bogus.stderr, /--fail-on "bogus": expected drift, performance, or both/);
    const unknown = await kiln(dir, ['monitor', 'nope@champion']);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /nope/);
    assert.doesNotMatch(unknown.stderr, /\n\s+at /);
    const since = await kiln(dir, ['monitor', 'churn', '--since', 'yesterday']);
    assert.match(since.stderr, /--since "yesterday": expected a span such as 7d/);
    const every = await kiln(dir, ['serve', '--port', '0', '--monitor-every', 'often']);
    assert.equal(every.code, 1);
    assert.match(every.stderr, /--monitor-every "often" is not a span/);
  });
});
