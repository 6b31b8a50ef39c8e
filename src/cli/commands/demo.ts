// `kiln demo [folder]`: Kiln's main job end to end on a bundled example (default examples/churn), as a
// sequence of steps that share one context. Today: read, profile (HTML + JSON report), clean (data + recipe).
// Later steps (train, serve, monitor) append themselves to DEMO_STEPS.

import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { DataSourceError } from '../../core/errors.js';
import { writeFileAtomic } from '../../core/atomic-file.js';
import {
  cleanDataset,
  type Dataset,
  type DataProfile,
  formatProfile,
  profileDataset,
  readDataset,
  recipePathFor,
  writeFrame,
  writeProfileHtml,
  writeRecipe,
} from '../../data/index.js';
import { action } from '../output.js';

export interface DemoContext {
  /** the example folder */
  folder: string;
  /** where outputs go (.kiln/demo by default) */
  outDir: string;
  dataFile: string;
  dataset?: Dataset;
  target?: string;
  profile?: DataProfile;
  /** files written, with what they are */
  outputs: { file: string; what: string }[];
  log(line: string): void;
}

export interface DemoStep {
  name: string;
  run(context: DemoContext): Promise<void>;
}

const DATA_EXTENSIONS = ['.csv', '.tsv', '.parquet', '.json', '.ndjson', '.jsonl', '.gz'];
const TARGET_NAMES = ['target', 'label', 'class', 'y', 'outcome'];

export const DEMO_STEPS: DemoStep[] = [
  {
    name: 'read',
    async run(ctx) {
      ctx.dataset = await readDataset(ctx.dataFile);
      ctx.target = guessTarget(ctx.dataset, path.basename(ctx.folder));
      const { frame } = ctx.dataset;
      ctx.log(`read ${ctx.dataFile}: ${frame.nRows.toLocaleString('en-US')} rows × ${frame.nCols} columns${ctx.target ? `; target ${ctx.target}` : ''}`);
    },
  },
  {
    name: 'profile',
    async run(ctx) {
      const dataset = required(ctx.dataset, 'read');
      ctx.profile = profileDataset(dataset, { target: ctx.target });
      const html = path.join(ctx.outDir, 'report.html');
      const json = path.join(ctx.outDir, 'profile.json');
      await writeProfileHtml(ctx.profile, html);
      await writeFileAtomic(json, `${JSON.stringify(ctx.profile, null, 2)}\n`);
      ctx.outputs.push({ file: html, what: 'data-quality report (open in a browser)' }, { file: json, what: 'the profile as JSON' });
      ctx.log(formatProfile(ctx.profile));
    },
  },
  {
    name: 'clean',
    async run(ctx) {
      const dataset = required(ctx.dataset, 'read');
      const result = cleanDataset(dataset, { target: ctx.target });
      const data = path.join(ctx.outDir, 'cleaned.csv');
      const recipe = recipePathFor(data);
      await writeFrame(result.frame, data);
      await writeRecipe(result.recipe, recipe);
      ctx.outputs.push({ file: data, what: 'cleaned data' }, { file: recipe, what: 'the cleaning recipe (kiln clean --apply)' });
      ctx.log('');
      for (const step of result.report) ctx.log(`clean: ${step.step.padEnd(20)} ${step.summary}`);
    },
  },
];

function required<T>(value: T | undefined, step: string): T {
  if (value === undefined) throw new DataSourceError(`the demo's "${step}" step did not run`);
  return value;
}

/** The example's data file: the first data file in the folder (by name), or the path itself. */
async function findDataFile(folder: string): Promise<string> {
  let stat;
  try {
    stat = await fs.stat(folder);
  } catch {
    throw new DataSourceError(`no such example folder: ${folder}`, { hint: 'run it from the Kiln folder, or give the example path: kiln demo examples/churn' });
  }
  if (stat.isFile()) return folder;
  const names = (await fs.readdir(folder)).filter((n) => DATA_EXTENSIONS.some((e) => n.toLowerCase().endsWith(e))).sort();
  if (!names.length) throw new DataSourceError(`${folder} holds no data file (${DATA_EXTENSIONS.join(', ')})`);
  return path.join(folder, names[0]);
}

/**
 * The column to predict, until projects name it: one called target/label/class/y/outcome or like the example
 * folder ("churn" -> Churn), else the last column when it has a few categories.
 */
export function guessTarget(dataset: Dataset, folderName: string): string | undefined {
  const names = dataset.frame.names;
  const wanted = [...TARGET_NAMES, folderName.toLowerCase()];
  const named = names.find((n) => wanted.includes(n.toLowerCase()));
  if (named) return named;
  const last = dataset.schema.columns[dataset.schema.columns.length - 1];
  return last && (last.type === 'boolean' || last.type === 'category') ? last.name : undefined;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description("run Kiln's main job end to end on an example: profile the data, clean it, write the reports")
    .argument('[folder]', 'example folder (or data file)', 'examples/churn')
    .option('--out <folder>', 'where to write the outputs', path.join('.kiln', 'demo'))
    .action(
      action(async (folder: string, flags: { out: string }) => {
        const context: DemoContext = {
          folder,
          outDir: flags.out,
          dataFile: await findDataFile(folder),
          outputs: [],
          log: (line) => process.stdout.write(`${line}\n`),
        };
        await fs.mkdir(context.outDir, { recursive: true });
        for (const step of DEMO_STEPS) {
          context.log(`\n== ${step.name}`);
          await step.run(context);
        }
        context.log('\n== done; outputs:');
        for (const o of context.outputs) context.log(`  ${o.file}  ${o.what}`);
      }),
    );
}
