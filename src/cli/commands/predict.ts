// `kiln predict <model> <source> -o <output>`: batch scoring. Every row of a file or table gets the model's
// prediction (and class probabilities) beside its own columns; files are streamed, so they may exceed memory.

import type { Command } from 'commander';
import { scoreSource } from '../../serve/batch-score.js';
import { action } from '../output.js';
import { requireRegistry } from './models.js';
import { parseInteger } from './serve.js';

interface PredictOptions {
  output: string;
  chunkRows: string;
  memoryLimit?: string;
  delimiter?: string;
  header?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('predict')
    .description('score a file or table with a registered model, e.g. kiln predict churn@champion new.csv -o scored.csv')
    .argument('<model>', 'churn, churn@champion, churn/3 (or models:/…)')
    .argument('<source>', 'a CSV/TSV/JSON/NDJSON/Parquet file (optionally .gz), sqlite:file.db, postgres://… or an http(s) URL')
    .requiredOption('-o, --output <file>', 'where to write: .csv or .parquet')
    .option('--chunk-rows <n>', 'rows predicted at a time', '10000')
    .option('--memory-limit <size>', "the embedded database's memory limit, e.g. 1GB (beyond it, it works on disk)")
    .option('--delimiter <char>', 'field delimiter of delimited text (default: guessed)')
    .option('--no-header', 'the first row of delimited text is data')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (model: string, source: string, options: PredictOptions) => {
        const chunkRows = parseInteger(options.chunkRows, '--chunk-rows', 1, 10_000_000);
        const store = await requireRegistry();
        try {
          const started = performance.now();
          const result = await scoreSource(store, model, source, options.output, {
            chunkRows,
            memoryLimit: options.memoryLimit,
            read: { delimiter: options.delimiter, header: options.header === false ? false : undefined },
          });
          const seconds = (performance.now() - started) / 1000;
          if (options.json) {
            process.stdout.write(`${JSON.stringify({ model: `${result.version.name}/${result.version.version}`, rows: result.rows, output: result.output, added: result.added, seconds }, null, 2)}\n`);
          } else {
            process.stdout.write(`scored ${result.rows} rows with ${result.version.name} version ${result.version.version} in ${seconds.toFixed(1)} s → ${result.output}\n`);
            process.stdout.write(`  added columns: ${result.added.join(', ')}\n`);
          }
        } finally {
          await store.close();
        }
      }),
    );
}
