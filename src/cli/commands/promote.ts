// `kiln promote <model> [version] --alias <alias>`: point an alias (champion, production …) at a version.
// A running `kiln serve` notices the move and switches without a restart.

import type { Command } from 'commander';
import { ValidationError } from '../../core/errors.js';
import { parseModelRef, type ModelRef } from '../../registry/index.js';
import { action } from '../output.js';
import { requireRegistry } from './models.js';

interface PromoteOptions {
  alias: string;
  json?: boolean;
}

/** `churn 3` and `churn/3` (or `churn@staging`) name the same thing; a name and a reference together do not. */
function target(model: string, version: string | undefined): ModelRef {
  if (version === undefined) return parseModelRef(model);
  const ref = parseModelRef(model);
  if (ref.kind !== 'latest' || model.includes('/')) {
    throw new ValidationError(`give either a model name and a version, or a reference such as churn/3, not both ("${model}" "${version}")`, [
      { path: ['version'], expected: 'no version after a reference', received: version },
    ]);
  }
  if (!/^[0-9]{1,15}$/.test(version)) {
    throw new ValidationError(`version "${version}" is not a version number`, [{ path: ['version'], expected: 'an integer ≥ 1', received: version }], {
      hint: `kiln models ${ref.name} lists its versions`,
    });
  }
  return parseModelRef({ kind: 'version', name: ref.name, version: Number(version) });
}

export function register(program: Command): void {
  program
    .command('promote')
    .description('point an alias at a model version, e.g. kiln promote churn 3 --alias champion')
    .argument('<model>', 'a model name (then give the version) or a reference: churn/3, churn@staging, churn (latest)')
    .argument('[version]', 'the version number')
    .requiredOption('--alias <alias>', 'the alias to move, e.g. champion, production, staging')
    .option('--json', 'print the change as JSON')
    .action(
      action(async (model: string, version: string | undefined, options: PromoteOptions) => {
        const ref = target(model, version);
        const store = await requireRegistry();
        try {
          const change = await store.promote(ref, options.alias);
          if (options.json) process.stdout.write(`${JSON.stringify(change, null, 2)}\n`);
          else if (!change.changed) process.stdout.write(`${change.name}@${change.alias} already points at version ${change.toVersion}; nothing changed\n`);
          else {
            const was = change.fromVersion === null ? 'new alias' : `was version ${change.fromVersion}`;
            process.stdout.write(`${change.name}@${change.alias} → version ${change.toVersion} (${was})\n`);
          }
        } finally {
          await store.close();
        }
      }),
    );
}
