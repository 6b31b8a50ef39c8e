// `kiln models [model]`: the registered models; one model's versions, aliases and alias history; or one version's
// lineage (when the argument names a version: churn/3, churn@champion, models:/churn/2).

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import Table from 'cli-table3';
import { pc } from '../../core/colors.js';
import type { Json } from '../../core/artifact.js';
import { resolveDbTarget } from '../../core/db/index.js';
import { NotFoundError } from '../../core/errors.js';
import { openRegistry, parseModelRef, type ModelVersion, type Store } from '../../registry/index.js';
import { action } from '../output.js';

/**
 * Open the registry the project uses, or undefined when it is a SQLite file that does not exist yet: commands that
 * only read or move aliases must not create .kiln/ in whatever folder they were run from.
 */
export async function openExistingRegistry(): Promise<Store | undefined> {
  const { dialect, target } = resolveDbTarget();
  if (dialect === 'sqlite' && target !== ':memory:' && !existsSync(target)) return undefined;
  return openRegistry();
}

/** The same, for commands that need a registry: a clear error when there is none. */
export async function requireRegistry(): Promise<Store> {
  const store = await openExistingRegistry();
  if (store) return store;
  throw new NotFoundError(`there is no model registry here (${resolveDbTarget().target} does not exist)`, {
    hint: 'run kiln in the project folder, or set KILN_DATABASE_URL; kiln train registers models',
  });
}

interface ModelsOptions {
  json?: boolean;
  history?: boolean;
}

const print = (text = ''): void => {
  process.stdout.write(`${text}\n`);
};

/** 2026-11-25T03:51:55.123Z → 2026-11-25 03:51 (UTC) */
function shortTime(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16);
}

function shortNumber(value: Json): string {
  return typeof value === 'number' ? String(Number(value.toPrecision(4))) : JSON.stringify(value);
}

/** The first few metrics, e.g. "roc_auc=0.9123 logloss=0.31" */
function metricsSummary(metrics: { [name: string]: Json }, max = 3): string {
  const entries = Object.entries(metrics);
  const shown = entries.slice(0, max).map(([k, v]) => `${k}=${shortNumber(v)}`);
  return entries.length > max ? `${shown.join(' ')} …` : shown.join(' ');
}

function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

function table(head: string[]): Table.Table {
  // no colours inside the table: output stays readable when piped and stable for scripts
  return new Table({ head, style: { head: [], border: [] } });
}

async function listModels(store: Store, options: ModelsOptions): Promise<void> {
  const models = await store.listModels();
  if (options.json) return print(JSON.stringify({ registry: store.location, models }, null, 2));
  if (!models.length) {
    print(`No models registered yet (${store.location}).`);
    print(pc.dim('kiln train registers the winner of each run.'));
    return;
  }
  const t = table(['model', 'versions', 'latest', 'aliases', 'updated (UTC)']);
  for (const m of models) {
    const aliases = Object.entries(m.aliases).map(([alias, version]) => `${alias} → ${version}`);
    t.push([m.name, m.versionCount, m.latestVersion, aliases.join(', ') || '-', shortTime(m.updatedAt)]);
  }
  print(t.toString());
  print(pc.dim(`registry: ${store.location}`));
}

async function showModel(store: Store, name: string, options: ModelsOptions): Promise<void> {
  const model = await store.getModel(name);
  const versions = await store.listVersions(name);
  const history = options.history ? await store.aliasHistory(name) : undefined;
  if (options.json) return print(JSON.stringify({ model, versions, ...(history ? { history } : {}) }, null, 2));
  print(`${pc.bold(model.name)}: ${model.versionCount} version${model.versionCount === 1 ? '' : 's'}, created ${shortTime(model.createdAt)} UTC by ${model.createdBy}`);
  const t = table(['version', 'created (UTC)', 'by', 'run', 'metrics', 'size', 'sha256', 'aliases']);
  for (const v of versions) {
    t.push([
      v.version,
      shortTime(v.lineage.createdAt),
      v.lineage.createdBy,
      v.lineage.runId ?? '-',
      metricsSummary(v.lineage.metrics) || '-',
      humanBytes(v.sizeBytes),
      v.sha256.slice(0, 12),
      v.aliases.join(', ') || '-',
    ]);
  }
  print(t.toString());
  if (history) {
    if (!history.length) print('No alias changes yet.');
    else {
      const h = table(['when (UTC)', 'alias', 'action', 'from', 'to', 'by']);
      for (const e of history) h.push([shortTime(e.at), e.alias, e.action, e.fromVersion ?? '-', e.toVersion ?? '-', e.by]);
      print(h.toString());
    }
  }
}

function showVersion(v: ModelVersion, options: ModelsOptions): void {
  if (options.json) return print(JSON.stringify({ version: v }, null, 2));
  const rows: [string, string][] = [
    ['model', `${v.name} version ${v.version}`],
    ['aliases', v.aliases.join(', ') || '-'],
    ['kind', v.kind],
    ['created', `${shortTime(v.lineage.createdAt)} UTC by ${v.lineage.createdBy} (Kiln ${v.lineage.kilnVersion})`],
    ['run', v.lineage.runId ?? '-'],
    ['data', v.lineage.dataFingerprint === null ? '-' : JSON.stringify(v.lineage.dataFingerprint)],
    ['metrics', metricsSummary(v.lineage.metrics, Infinity) || '-'],
    ['params', JSON.stringify(v.lineage.params)],
    ['signature', v.signature === null ? '-' : JSON.stringify(v.signature).slice(0, 200)],
    ['size', humanBytes(v.sizeBytes)],
    ['sha256', v.sha256],
  ];
  if (v.description) rows.splice(1, 0, ['description', v.description]);
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, value] of rows) print(`${pc.dim(k.padEnd(width))}  ${value}`);
}

export function register(program: Command): void {
  program
    .command('models')
    .description('list registered models; with a name, its versions and aliases; with churn/3 or churn@champion, that version')
    .argument('[model]', 'a model name or reference (churn, churn/3, churn@champion, models:/churn@champion)')
    .option('--json', 'print JSON instead of tables')
    .option('--history', "with a model name: also show every alias change (who, when, from which version to which)")
    .action(
      action(async (model: string | undefined, options: ModelsOptions) => {
        // parse before opening anything, so a bad name fails fast and never reaches the database
        const ref = model === undefined ? undefined : parseModelRef(model);
        const store = await openExistingRegistry();
        if (!store) {
          if (ref) throw new NotFoundError(`no model named "${ref.name}": there is no model registry here (${resolveDbTarget().target} does not exist)`, {
            hint: 'run kiln in the project folder, or set KILN_DATABASE_URL; kiln train registers models',
          });
          if (options.json) print(JSON.stringify({ registry: null, models: [] }, null, 2));
          else print(`No models registered yet (no registry at ${resolveDbTarget().target}).`);
          return;
        }
        try {
          if (!ref) await listModels(store, options);
          else if (ref.kind === 'latest' && !/\/latest$/.test(model!)) await showModel(store, ref.name, options);
          else showVersion(await store.resolve(ref), options);
        } finally {
          await store.close();
        }
      }),
    );
}
