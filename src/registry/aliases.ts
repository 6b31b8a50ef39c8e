// Alias moves and their history. Every move (promote, rollback, delete) is written to registry_alias_history;
// rollback treats that history as an undo stack: promote and delete push the version they replaced, rollback pops.
//
//   promote 1 (push none) · promote 2 (push 1) · promote 3 (push 2) · rollback → 2 (pop) · rollback → 1 (pop)

import { KilnError, NotFoundError } from '../core/errors.js';
import type { Db } from '../core/db/index.js';
import type { AliasAction, AliasChange, AliasEvent } from './types.js';

interface HistoryRow {
  name: string;
  alias: string;
  action: string;
  from_version: number | null;
  to_version: number | null;
  at: string;
  by_user: string;
  revision: number;
}

function toEvent(r: HistoryRow): AliasEvent {
  return {
    name: r.name,
    alias: r.alias,
    action: r.action as AliasAction,
    fromVersion: r.from_version === null ? null : Number(r.from_version),
    toVersion: r.to_version === null ? null : Number(r.to_version),
    at: r.at,
    by: r.by_user,
    revision: Number(r.revision),
  };
}

export async function readHistory(db: Db, name: string, alias?: string): Promise<AliasEvent[]> {
  const rows =
    alias === undefined
      ? await db.query<HistoryRow>('SELECT * FROM registry_alias_history WHERE name = $1 ORDER BY id', [name])
      : await db.query<HistoryRow>('SELECT * FROM registry_alias_history WHERE name = $1 AND alias = $2 ORDER BY id', [name, alias]);
  return rows.map(toEvent);
}

export async function currentAlias(db: Db, name: string, alias: string): Promise<number | null> {
  const rows = await db.query<{ version: number }>('SELECT version FROM registry_aliases WHERE name = $1 AND alias = $2', [name, alias]);
  return rows.length ? Number(rows[0].version) : null;
}

/**
 * The version a rollback returns to: undefined when there is nothing to undo, null when the alias did not exist
 * before its last promotion (a rollback would delete it, which we refuse: deleting is explicit).
 */
export function rollbackTarget(history: readonly AliasEvent[]): number | null | undefined {
  const stack: (number | null)[] = [];
  for (const e of history) {
    if (e.action === 'rollback') stack.pop();
    else stack.push(e.fromVersion);
  }
  return stack.length ? stack[stack.length - 1] : undefined;
}

/** Move (or delete, to = null) an alias and record it; the caller has bumped the revision in this transaction. */
export async function moveAlias(
  tx: Db,
  change: { name: string; alias: string; action: AliasAction; to: number | null; by: string; at: string; revision: number },
): Promise<AliasChange> {
  const { name, alias, action, to, by, at, revision } = change;
  const from = await currentAlias(tx, name, alias);
  if (to === null) {
    await tx.exec('DELETE FROM registry_aliases WHERE name = $1 AND alias = $2', [name, alias]);
  } else {
    await tx.exec(
      'INSERT INTO registry_aliases (name, alias, version, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5) ' +
        'ON CONFLICT (name, alias) DO UPDATE SET version = $3, updated_at = $4, updated_by = $5',
      [name, alias, to, at, by],
    );
  }
  await tx.exec(
    'INSERT INTO registry_alias_history (name, alias, action, from_version, to_version, at, by_user, revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
    [name, alias, action, from, to, at, by, revision],
  );
  await tx.exec('UPDATE registry_models SET updated_at = $2 WHERE name = $1', [name, at]);
  return { name, alias, action, fromVersion: from, toVersion: to, at, by, revision, changed: true };
}

export function noSuchAlias(name: string, alias: string, existing: readonly string[]): NotFoundError {
  return new NotFoundError(`model "${name}" has no alias "${alias}"`, {
    hint: existing.length
      ? `its aliases: ${existing.join(', ')}; create one with kiln promote ${name} <version> --alias ${alias}`
      : `create it with kiln promote ${name} <version> --alias ${alias}`,
  });
}

export function nothingToRollBack(name: string, alias: string, history: readonly AliasEvent[]): KilnError {
  const first = history.find((e) => e.action === 'promote');
  const origin = first ? ` (it was created pointing at version ${first.toVersion} by ${first.by} at ${first.at})` : '';
  return new KilnError('E_CONFLICT', `alias "${alias}" of "${name}" has no earlier version to roll back to${origin}`, {
    status: 409,
    hint: `point it at a version explicitly: kiln promote ${name} <version> --alias ${alias}`,
  });
}
