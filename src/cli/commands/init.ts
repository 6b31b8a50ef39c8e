// `kiln init <data> [--goal "…"] [--target col]`: look at the data, propose the target, task, metric, columns to
// drop and validation scheme, print them with their reasons, and write kiln.yaml (the reasons as comments).

import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { pc } from '../../core/colors.js';
import { writeFileAtomic } from '../../core/atomic-file.js';
import { KilnError } from '../../core/errors.js';
import { init } from '../../train/index.js';
import { action } from '../output.js';
import { addSourceOptions, readOptionsFrom, type SourceFlags } from './profile.js';

interface InitFlags extends SourceFlags {
  goal?: string;
  target?: string;
  timeColumn?: string;
  groupColumn?: string;
  name?: string;
  time?: string;
  out: string;
  force?: boolean;
}

const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

export function register(program: Command): void {
  addSourceOptions(
    program
      .command('init')
      .description('look at the data and the goal, and write kiln.yaml: target, task, metric, columns to drop, validation')
      .argument('<data>', 'file (CSV/TSV/JSON/NDJSON/Parquet, .gz), sqlite:path.db, postgres://… or http(s)://…'),
  )
    .option('--goal <text>', 'one line on what the model is for, e.g. "predict which customers churn"')
    .option('--target <column>', 'the column to predict (default: inferred from the goal and the data)')
    .option('--time-column <column>', 'validate in time order along this column')
    .option('--group-column <column>', 'keep the rows of one group (a customer, a patient) in one fold')
    .option('--name <name>', "the model's name in the registry (default: from the data file's name)")
    .option('--time <duration>', 'the training time budget to write, e.g. 2m, 90s', '2m')
    .option('--out <file>', 'where to write the project file', 'kiln.yaml')
    .option('--force', 'overwrite an existing project file')
    .action(
      action(async (data: string, flags: InitFlags) => {
        if (existsSync(flags.out) && !flags.force) throw new KilnError('E_CONFLICT', `${flags.out} already exists`, { hint: 'use --force to overwrite it, or --out to write elsewhere' });
        const result = await init({
          data,
          goal: flags.goal,
          target: flags.target,
          timeColumn: flags.timeColumn,
          groupColumn: flags.groupColumn,
          name: flags.name,
          time: flags.time,
          read: readOptionsFrom(flags),
          projectDir: path.dirname(path.resolve(flags.out)),
        });
        await writeFileAtomic(flags.out, result.yaml);
        const line = (label: string, value: string, why: string): void => print(`${pc.bold(label.padEnd(10))}${value}  ${pc.dim(`— ${why}`)}`);
        print(`${result.rows.toLocaleString('en-US')} rows × ${result.columns} columns from ${data}`);
        print();
        line('target', result.target.value, result.target.reason);
        line('task', result.task.value, result.task.reason);
        if (result.positive) line('positive', JSON.stringify(result.positive.value), result.positive.reason);
        line('metric', result.metric.value, `${result.metric.reason} (also shown: ${result.metric.shown.join(', ')})`);
        if (result.text) line('text', result.text.value, result.text.reason);
        if (result.recommend) {
          const r = result.recommend.value;
          line('recommend', `user ${r.user}, item ${r.item}${r.rating ? `, rating ${r.rating}` : ''}${r.time ? `, time ${r.time}` : ''}`, result.recommend.reason);
        }
        for (const d of result.drop) line('drop', d.column, d.reason);
        line('split', `${result.split.value.scheme}${result.split.value.column ? ` by ${result.split.value.column}` : ''}`, result.split.reason);
        print();
        if (result.unsupported) print(pc.yellow(`note: ${result.unsupported}`));
        print(`wrote ${flags.out} (edit it to change any choice)`);
        if (!result.unsupported) print(pc.dim(`next: kiln train ${flags.out === 'kiln.yaml' ? '' : flags.out} --time ${flags.time}`.replace(/ +/g, ' ')));
      }),
    );
}
