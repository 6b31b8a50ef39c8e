// `kiln tokens create|list|revoke`: API tokens for `kiln serve`. A token is printed once, at creation; the
// database keeps only its sha256. A running server accepts a new token at once and drops a revoked one within
// a few seconds.

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import Table from 'cli-table3';
import { migrate, openDb, resolveDbTarget, type Db } from '../../core/db/index.js';
import { NotFoundError } from '../../core/errors.js';
import { createToken, listTokens, revokeToken, SERVE_LAYER, serveMigrations } from '../../serve/index.js';
import { action } from '../output.js';

async function withTokenDb<T>(create: boolean, work: (db: Db) => Promise<T>): Promise<T> {
  const { dialect, target } = resolveDbTarget();
  if (!create && dialect === 'sqlite' && target !== ':memory:' && !existsSync(target)) {
    throw new NotFoundError(`there is no Kiln database here (${target} does not exist)`, { hint: 'run kiln in the project folder, or set KILN_DATABASE_URL' });
  }
  const db = await openDb();
  try {
    await migrate(db, SERVE_LAYER, serveMigrations);
    return await work(db);
  } finally {
    await db.close();
  }
}

export function register(program: Command): void {
  const tokens = program.command('tokens').description('API tokens for kiln serve (create, list, revoke)');
  tokens
    .command('create')
    .description('create a token and print it (the only time it is shown)')
    .requiredOption('--name <name>', 'what the token is for, e.g. web-app')
    .option('--json', 'print as JSON')
    .action(
      action(async (options: { name: string; json?: boolean }) => {
        await withTokenDb(true, async (db) => {
          const { token, info } = await createToken(db, { name: options.name });
          if (options.json) process.stdout.write(`${JSON.stringify({ token, ...info }, null, 2)}\n`);
          else {
            process.stdout.write(`${token}\n`);
            process.stderr.write(`token "${info.name}" (id ${info.id}) created; store it now, it is not shown again.\n`);
            process.stderr.write(`send it as: Authorization: Bearer <token>\n`);
          }
        });
      }),
    );
  tokens
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--all', 'include revoked tokens')
    .option('--json', 'print as JSON')
    .action(
      action(async (options: { all?: boolean; json?: boolean }) => {
        await withTokenDb(false, async (db) => {
          const list = await listTokens(db, { all: options.all });
          if (options.json) return void process.stdout.write(`${JSON.stringify({ tokens: list }, null, 2)}\n`);
          if (!list.length) return void process.stdout.write('No API tokens. kiln tokens create --name <name> makes one.\n');
          const t = new Table({ head: ['id', 'name', 'starts with', 'created (UTC)', 'by', 'revoked'], style: { head: [], border: [] } });
          for (const k of list) t.push([k.id, k.name, `${k.prefix}…`, k.createdAt.replace('T', ' ').slice(0, 16), k.createdBy, k.revokedAt ? k.revokedAt.replace('T', ' ').slice(0, 16) : '-']);
          process.stdout.write(`${t.toString()}\n`);
        });
      }),
    );
  tokens
    .command('revoke')
    .description('revoke a token by id (or by name when only one valid token has it)')
    .argument('<token>', 'the id or the name shown by kiln tokens list')
    .action(
      action(async (idOrName: string) => {
        await withTokenDb(false, async (db) => {
          const t = await revokeToken(db, idOrName);
          process.stdout.write(`revoked token "${t.name}" (id ${t.id})\n`);
        });
      }),
    );
}
