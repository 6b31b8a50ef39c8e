// `kiln export <model> -o churn.kiln`: write a registered version as a file that kiln/runtime loads in Node or a
// browser (`import { loadModel } from 'kiln/runtime'`).

import type { Command } from 'commander';
import { exportModel } from '../../serve/export.js';
import { action } from '../output.js';
import { requireRegistry } from './models.js';

export function register(program: Command): void {
  program
    .command('export')
    .description('write a registered model for the in-process runtime, e.g. kiln export churn@champion -o churn.kiln')
    .argument('<model>', 'churn, churn@champion, churn/3 (or models:/…)')
    .requiredOption('-o, --output <file>', 'the file to write (conventionally .kiln)')
    .option('--json', 'print the result as JSON')
    .action(
      action(async (model: string, options: { output: string; json?: boolean }) => {
        const store = await requireRegistry();
        try {
          const r = await exportModel(store, model, options.output);
          if (options.json) process.stdout.write(`${JSON.stringify({ model: `${r.version.name}/${r.version.version}`, file: r.file, sizeBytes: r.sizeBytes, sha256: r.sha256 }, null, 2)}\n`);
          else {
            process.stdout.write(`exported ${r.version.name} version ${r.version.version} → ${r.file} (${r.sizeBytes} bytes, sha256 ${r.sha256.slice(0, 12)}…)\n`);
            process.stdout.write(`  load it with: import { loadModel } from 'kiln/runtime'; const model = await loadModel(url or bytes)\n`);
          }
        } finally {
          await store.close();
        }
      }),
    );
}
