// `kiln rollback <model> --alias <alias>`: return an alias to the version it pointed at before its last move.
// Repeatable: each rollback undoes one more promotion (the alias history is the undo stack).

import type { Command } from 'commander';
import { validateModelName } from '../../registry/index.js';
import { action } from '../output.js';
import { requireRegistry } from './models.js';

interface RollbackOptions {
  alias: string;
  json?: boolean;
}

export function register(program: Command): void {
  program
    .command('rollback')
    .description('return an alias to its previous version, e.g. kiln rollback churn --alias champion')
    .argument('<model>', 'the model name')
    .requiredOption('--alias <alias>', 'the alias to move back')
    .option('--json', 'print the change as JSON')
    .action(
      action(async (model: string, options: RollbackOptions) => {
        validateModelName(model);
        const store = await requireRegistry();
        try {
          const change = await store.rollback(model, options.alias);
          if (options.json) process.stdout.write(`${JSON.stringify(change, null, 2)}\n`);
          else process.stdout.write(`${change.name}@${change.alias} rolled back to version ${change.toVersion} (was ${change.fromVersion ?? 'unset'})\n`);
        } finally {
          await store.close();
        }
      }),
    );
}
