// `kiln demo [folder]`: Kiln's main job end to end on a bundled example (default examples/churn): read it and
// let init plan the project, profile, clean, train and register, serve and predict, and monitor. Every output
// lands in the demo project folder (.kiln/demo), where the usual kiln commands keep working afterwards.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DataSourceError, ParamError } from '../../core/errors.js';
import { parseDuration } from '../../train/index.js';
import type { DemoContext, DemoStep } from '../demo/context.js';
import { DATA_STEPS } from '../demo/data-steps.js';
import { MODEL_STEPS } from '../demo/model-steps.js';
import { action } from '../output.js';

const DATA_EXTENSIONS = ['.csv', '.tsv', '.parquet', '.json', '.ndjson', '.jsonl', '.gz'];
const STEPS: DemoStep[] = [...DATA_STEPS, ...MODEL_STEPS];

/** The example's data file: the first data file in the folder (by name), or the path itself. */
async function findDataFile(folder: string): Promise<string> {
  let stat;
  try {
    stat = await fs.stat(folder);
  } catch {
    throw new DataSourceError(`no such example folder: ${folder}`, { hint: 'run it from the Kiln folder, or give the example path: kiln demo examples/churn' });
  }
  if (stat.isFile()) return path.resolve(folder);
  const names = (await fs.readdir(folder)).filter((n) => DATA_EXTENSIONS.some((e) => n.toLowerCase().endsWith(e))).sort();
  if (!names.length) throw new DataSourceError(`${folder} holds no data file (${DATA_EXTENSIONS.join(', ')})`);
  return path.resolve(folder, names[0]);
}

interface DemoFlags {
  out: string;
  time: string;
  goal?: string;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description("run Kiln's main job end to end on an example: profile, clean, train, register, serve, predict, monitor")
    .argument('[folder]', 'example folder (or data file)', 'examples/churn')
    .option('--out <folder>', 'the demo project folder: kiln.yaml, its registry and every report', path.join('.kiln', 'demo'))
    .option('--time <duration>', 'training budget', '30s')
    .option('--goal <text>', 'what the model is for (default: predict the example folder\'s name, e.g. "predict churn")')
    .action(
      action(async (folder: string, flags: DemoFlags) => {
        if (parseDuration(flags.time) === null)
          throw new ParamError([{ path: ['--time'], expected: 'a duration such as 30s or 2m', received: JSON.stringify(flags.time), message: `--time ${flags.time}: expected a duration such as 30s or 2m` }]);
        const context: DemoContext = {
          dataFile: await findDataFile(folder),
          outDir: path.resolve(flags.out),
          time: flags.time,
          goal: flags.goal ?? `predict ${path.basename(path.resolve(folder)).replace(/\.[^.]+$/, '')}`,
          outputs: [],
          log: (line) => process.stdout.write(`${line}\n`),
        };
        await fs.mkdir(context.outDir, { recursive: true });
        for (const step of STEPS) {
          context.log(`\n== ${step.name}`);
          await step.run(context);
        }
        context.log('\n== done; outputs:');
        for (const o of context.outputs) context.log(`  ${path.relative(process.cwd(), o.file)}  ${o.what}`);
        context.log(`\nthe project lives on in ${path.relative(process.cwd(), context.outDir)}: cd there and try kiln models, kiln serve, kiln monitor ${context.plan?.name.value ?? 'model'}@champion`);
      }),
    );
}
