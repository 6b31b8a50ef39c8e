// `kiln evaluate <run|model> <data>`: score a trained pipeline on new labelled rows with the metrics training
// used. The first argument is a run (id, unique prefix, or "latest") or a registered model (churn, churn/3,
// churn@champion, models:/churn/2).

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import Table from 'cli-table3';
import { resolveDbTarget } from '../../core/db/index.js';
import { isKilnError, NotFoundError } from '../../core/errors.js';
import { readFrame } from '../../data/index.js';
import { Pipeline } from '../../features/index.js';
import { openRegistry } from '../../registry/index.js';
import { evaluate, RunStore } from '../../train/index.js';
import { action } from '../output.js';
import { addSourceOptions, readOptionsFrom, type SourceFlags } from './profile.js';

interface EvaluateFlags extends SourceFlags {
  json?: boolean;
}

const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** the pipeline a run produced, or a registered version's; says which */
async function loadPipeline(ref: string): Promise<{ pipeline: Pipeline; from: string }> {
  const { dialect, target } = resolveDbTarget();
  if (dialect === 'sqlite' && target !== ':memory:' && !existsSync(target))
    throw new NotFoundError(`no runs or models here (${target} does not exist)`, { hint: 'run kiln in the project folder, or set KILN_DATABASE_URL' });
  const runs = await RunStore.open();
  try {
    const run = await runs.get(ref);
    return { pipeline: Pipeline.fromBytes(await runs.artifact(run.id), `run ${run.id}`), from: `run ${run.id}` };
  } catch (e) {
    if (!(e instanceof NotFoundError)) throw e;
  } finally {
    await runs.close();
  }
  const registry = await openRegistry();
  try {
    const { version, bytes } = await registry.loadBytes(ref);
    return { pipeline: Pipeline.fromBytes(bytes, `${version.name}/${version.version}`), from: `model ${version.name}/${version.version}` };
  } catch (e) {
    if (isKilnError(e) && (e.code === 'E_NOT_FOUND' || e.code === 'E_VALIDATION'))
      throw new NotFoundError(`"${ref}" is neither a run nor a registered model`, { hint: 'kiln runs lists runs; kiln models lists models' });
    throw e;
  } finally {
    await registry.close();
  }
}

export function register(program: Command): void {
  addSourceOptions(
    program
      .command('evaluate')
      .description('score a trained model on new labelled data, with the metrics training used')
      .argument('<model>', 'a run id (or prefix, or "latest"), or a registered model: churn, churn/3, churn@champion')
      .argument('<data>', 'labelled rows: file, sqlite:…, postgres://… or URL'),
  )
    .option('--json', 'print the scores as JSON')
    .action(
      action(async (ref: string, data: string, flags: EvaluateFlags) => {
        const { pipeline, from } = await loadPipeline(ref);
        const frame = await readFrame(data, readOptionsFrom(flags));
        const result = evaluate(pipeline, frame);
        if (flags.json) return print(JSON.stringify({ model: from, data, ...result }, null, 2));
        print(`${from} on ${data}: ${result.rows.toLocaleString('en-US')} rows${result.skipped ? ` (${result.skipped} without a usable label left out)` : ''}`);
        const t = new Table({ head: ['metric', 'value'], style: { head: [], border: [] } });
        for (const [name, value] of Object.entries(result.metrics)) t.push([name, value === undefined ? '—' : value.toFixed(4)]);
        print(t.toString());
        if (result.confusion && result.confusion.classes.length <= 12) {
          const { classes, counts } = result.confusion;
          const cm = new Table({ head: ['true \\ predicted', ...classes], style: { head: [], border: [] } });
          counts.forEach((row, i) => cm.push([classes[i], ...row.map(String)]));
          print(cm.toString());
        }
      }),
    );
}
