// One AutoML measurement in its own process (memory and worker threads belong to this run alone):
//   node bench/train/automl-child.js <dataset dir> <seconds> <seed>
// kiln init on train.csv (target, positive class and metric taken from meta.json, as a user would declare them;
// meta.json's drops added to init's own), kiln train within the budget, then the winner scored on test.csv.
// Prints one JSON object on stdout.

import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFrame } from '../../src/data/index.js';
import { evaluate, init, parseProjectYaml, train } from '../../src/train/index.js';
import type { MetricName } from '../../src/train/metrics/index.js';

interface Meta {
  target: string;
  task: string;
  positive?: string | number;
  metric: MetricName;
  drop?: string[];
}

async function main(): Promise<void> {
  const [dir, secondsText, seedText] = process.argv.slice(2);
  const seconds = Number(secondsText);
  const meta = JSON.parse(readFileSync(path.join(dir, 'meta.json'), 'utf8')) as Meta;
  const work = mkdtempSync(path.join(os.tmpdir(), 'kiln-automl-'));
  try {
    const started = performance.now();
    const proposal = await init({ data: path.join(dir, 'train.csv'), target: meta.target, projectDir: work });
    const project = parseProjectYaml(proposal.yaml);
    project.data.source = path.join(dir, 'train.csv');
    project.metric = meta.metric;
    if (meta.positive !== undefined) project.positive = String(meta.positive);
    for (const d of meta.drop ?? []) project.drop[d] ??= 'meta.json';
    const initSeconds = (performance.now() - started) / 1000;

    const t0 = performance.now();
    const result = await train({ project: { project, dir: work }, overrides: { seconds, seed: Number(seedText) }, store: false });
    const trainSeconds = (performance.now() - t0) / 1000;

    const test = await readFrame(path.join(dir, 'test.csv'));
    const t1 = performance.now();
    const scores = evaluate(result.pipeline, test);
    const predictSeconds = (performance.now() - t1) / 1000;
    const final = result.leaderboard.find((r) => r.kind === 'final')!;
    process.stdout.write(
      `${JSON.stringify({
        metric: meta.metric,
        test: scores.metrics,
        trainSeconds,
        initSeconds,
        predictSeconds,
        budget: seconds,
        trials: result.trials,
        stoppedBy: result.stoppedBy,
        cv: final.cv,
        holdout: final.holdout,
        winner: result.final.members.map((m) => `${m.name}×${m.weight.toFixed(2)}`).join(' + '),
        fit: result.final.fit,
        calibration: result.final.calibration?.method ?? null,
        threshold: result.final.threshold?.threshold ?? null,
        drops: Object.keys(project.drop),
        folds: project.split.folds,
        artifactBytes: result.artifact.length,
        leaderboard: result.leaderboard.filter((r) => r.kind !== 'candidate' || r.status === 'complete').map((r) => ({ name: r.name, cv: r.cv, holdout: r.holdout, fit: r.fitSeconds })),
        notes: result.final.notes,
      })}\n`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
