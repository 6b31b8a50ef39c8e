// Benchmark suite `serve`:  npm run bench -- serve [--rounds 300] [--duration 10] [--connections 10] [--repeats 3]
// Load-tests the prediction server on loopback with autocannon: single-row predictions of a gradient-boosting
// churn model (fitted here on the telco training split, registered, served with the prediction log on) against an
// empty route on the same fastify app and port that receives and parses the same body, in the same run; then
// 1,000-row batches, timed server-side (Server-Timing header) and in-process. Server in its own process (one core
// each for server and load generator). Prints a table and writes bench/results/serve.json.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Table from 'cli-table3';
import { valueAt, type Frame } from '../../src/core/frame.js';
import { readFrame } from '../../src/data/index.js';
import { Pipeline } from '../../src/features/index.js';
import { GradientBoostingClassifier } from '../../src/models/gbdt/index.js';
import { openRegistry, parseModelRef } from '../../src/registry/index.js';
import { predictRecords } from '../../src/serve/predict.js';
import { decoderFor } from '../../src/serve/record-decoder.js';
import { ServedModels } from '../../src/serve/served-models.js';
import { SingleRecordPath } from '../../src/serve/single-record.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const TELCO = path.resolve(root, '..', 'shared', 'datasets', 'telco_churn');

function option(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
}

function records(frame: Frame, n: number): Record<string, unknown>[] {
  return Array.from({ length: Math.min(n, frame.nRows) }, (_, i) => Object.fromEntries(frame.names.map((name) => [name, valueAt(frame.column(name), i)])));
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

interface LoadResult {
  route: string;
  rps: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  requests: number;
}

async function load(url: string, route: string, method: 'GET' | 'POST', body: string | undefined, duration: number, connections: number): Promise<LoadResult> {
  const r = await autocannon({ url: `${url}${route}`, method, body, headers: body ? { 'content-type': 'application/json' } : {}, duration, connections, pipelining: 1 });
  return {
    route: `${method} ${route}`,
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors + r.non2xx + r.timeouts,
    requests: r.requests.total,
  };
}

export async function run(args: string[]): Promise<void> {
  const rounds = option(args, 'rounds', 300);
  const duration = option(args, 'duration', 10);
  const connections = option(args, 'connections', 10);
  const repeats = option(args, 'repeats', 3);
  const batchRows = option(args, 'batch', 1000);

  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-bench-serve-'));
  let child: ReturnType<typeof spawn> | undefined;
  try {
    const train = await readFrame(path.join(TELCO, 'train.csv'));
    const test = await readFrame(path.join(TELCO, 'test.csv'));
    const t0 = performance.now();
    const pipeline = await Pipeline.fit(train, {
      target: 'Churn',
      task: 'binary',
      positive: 'Yes',
      chain: { kind: 'tree' },
      learner: new GradientBoostingClassifier({ rounds }),
    });
    const fitS = (performance.now() - t0) / 1000;
    const store = await openRegistry({ projectDir: dir, env: {} });
    await store.register({ name: 'churn', artifact: pipeline.toArtifact(), aliases: ['champion'] });
    // the pipeline as the server loads and runs it (whatever serving adapters it applies), for the in-process timings
    const servedModels = new ServedModels(store);
    const served = (await servedModels.get(parseModelRef('churn@champion'))).pipeline;
    await store.close();
    console.error(`fitted gradient boosting (${rounds} rounds) on ${train.nRows} rows in ${fitS.toFixed(1)} s; starting the server`);

    child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'server-child.ts'), dir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
    const { url } = JSON.parse(line) as { url: string };

    const batch = records(test, batchRows);
    const one = JSON.stringify(batch[0]);
    const route = '/v1/models/churn@champion/predict';
    // warm up both routes (JIT, the model's first load)
    await load(url, route, 'POST', one, 2, connections);
    await load(url, '/bench/empty', 'POST', one, 2, connections);

    const runs: LoadResult[] = [];
    for (let r = 0; r < repeats; r++) {
      runs.push(await load(url, '/bench/empty', 'POST', one, duration, connections));
      runs.push(await load(url, route, 'POST', one, duration, connections));
    }
    const getEmpty = await load(url, '/bench/empty', 'GET', undefined, duration, connections);
    // the run with the median req/s of each route (runs alternate, so both see the same share of a noisy machine)
    const middle = (name: string): LoadResult => {
      const own = runs.filter((x) => x.route === name).sort((a, b) => a.rps - b.rps);
      return own[(own.length - 1) >> 1];
    };
    const empty = middle('POST /bench/empty');
    const predict = middle(`POST ${route}`);

    // 1,000-row batches, one at a time: the server's own timing from its Server-Timing header
    const body = JSON.stringify({ rows: batch });
    const timing: Record<string, number[]> = { validate: [], predict: [], total: [], roundTrip: [] };
    for (let i = 0; i < 40; i++) {
      const t = performance.now();
      const res = await fetch(`${url}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      await res.arrayBuffer();
      const rt = performance.now() - t;
      if (res.status !== 200) throw new Error(`batch request failed: ${res.status}`);
      if (i < 5) continue; // warm-up
      for (const part of (res.headers.get('server-timing') ?? '').split(',')) {
        const m = /^\s*(\w+);dur=([\d.]+)/.exec(part);
        if (m) timing[m[1]].push(Number(m[2]));
      }
      timing.roundTrip.push(rt);
    }
    // in-process, no HTTP: where a request's time goes (decode records → Frame, feature chain → matrix, model),
    // with the pipeline as the server runs it
    const decoder = decoderFor(served.signature);
    const phases = (rows: Record<string, unknown>[], reps: number): Record<string, number> => {
      const t: Record<string, number[]> = { decode: [], chain: [], model: [], whole: [] };
      for (let r = 0; r < reps; r++) {
        let a = performance.now();
        const frame = decoder.decode(rows)!;
        let b = performance.now();
        t.decode.push(b - a);
        a = performance.now();
        const x = served.chain.transform(frame);
        b = performance.now();
        t.chain.push(b - a);
        a = performance.now();
        served.model.predictProba!(x);
        b = performance.now();
        t.model.push(b - a);
        a = performance.now();
        predictRecords(served, rows);
        b = performance.now();
        t.whole.push(b - a);
      }
      return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
    };
    phases(batch, 5);
    const inBatch = phases(batch, 30);
    const inSingle = phases([batch[0]], 3000);
    // one record as the server predicts it: the single-record shortcut (JSON object → input row → model)
    const shortcut = SingleRecordPath.for(served);
    const shortcutTimes: number[] = [];
    for (let r = 0; shortcut && r < 3000; r++) {
      const a = performance.now();
      shortcut.predict(batch[0]);
      shortcutTimes.push(performance.now() - a);
    }
    const inShortcut = shortcut ? median(shortcutTimes.slice(500)) : NaN;
    const table = new Table({ head: ['route', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'errors', 'requests'], style: { head: [], border: [] } });
    for (const r of [...runs, getEmpty]) table.push([r.route, r.rps.toFixed(0), r.p50.toFixed(2), r.p99.toFixed(2), r.max.toFixed(1), r.errors, r.requests]);
    console.log(table.toString());
    const ratio = predict.rps / empty.rps;
    const summary = new Table({ head: ['measure', 'value', 'target', 'met'], style: { head: [], border: [] } });
    summary.push(['single-row req/s vs empty POST route, same body (median runs)', `${predict.rps.toFixed(0)} / ${empty.rps.toFixed(0)} = ${(ratio * 100).toFixed(1)} %`, '>= 70 %', ratio >= 0.7 ? 'yes' : 'NO']);
    summary.push(['single-row p99 at that load', `${predict.p99.toFixed(2)} ms`, '< 10 ms', predict.p99 < 10 ? 'yes' : 'NO']);
    const errors = runs.reduce((s, r) => s + r.errors, 0) + getEmpty.errors;
    summary.push(['errors (all runs)', String(errors), '0', errors === 0 ? 'yes' : 'NO']);
    summary.push([`${batchRows}-row batch, server-side validate + predict (median)`, `${(median(timing.validate) + median(timing.predict)).toFixed(2)} ms (validate ${median(timing.validate).toFixed(2)}, predict ${median(timing.predict).toFixed(2)})`, '< 10 ms', median(timing.validate) + median(timing.predict) < 10 ? 'yes' : 'NO']);
    summary.push([`${batchRows}-row batch, server-side incl. JSON body parsing (median / p90)`, `${median(timing.total).toFixed(2)} / ${quantile(timing.total, 0.9).toFixed(2)} ms`, '', '']);
    summary.push([`${batchRows}-row batch, client round trip (median)`, `${median(timing.roundTrip).toFixed(2)} ms`, '', '']);
    // `whole` is predictRecords as the server calls it; the parts are the Frame route's (one record may skip them)
    const split = (p: Record<string, number>, unit: number, u: string) => `${(p.whole * unit).toFixed(1)} ${u} (Frame route: decode ${(p.decode * unit).toFixed(1)}, chain ${(p.chain * unit).toFixed(1)}, model ${(p.model * unit).toFixed(1)})`;
    summary.push([`${batchRows} rows in-process, validate + predict (median)`, split(inBatch, 1, 'ms'), '', '']);
    summary.push(['1 row in-process, validate + predict (median)', split(inSingle, 1000, 'µs'), '', '']);
    summary.push(['1 row in-process, single-record shortcut as served (median)', shortcut ? `${(inShortcut * 1000).toFixed(1)} µs` : 'not available for this pipeline', '', '']);
    console.log(summary.toString());
    console.log('measured on a shared machine; the lead re-runs on a quiet one');

    mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(
      path.join(root, 'bench', 'results', 'serve.json'),
      `${JSON.stringify({ at: new Date().toISOString(), rounds, duration, connections, fitS, runs, getEmpty, ratio, batch: { rows: batchRows, medianMs: Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, median(v)])), inProcessMs: inBatch }, singleInProcessMs: inSingle, singleShortcutMs: inShortcut }, null, 2)}\n`,
    );
  } finally {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await once(child, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
