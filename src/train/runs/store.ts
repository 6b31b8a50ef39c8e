// Training runs in the project database (.kiln/kiln.db, or PostgreSQL with KILN_DATABASE_URL): one row per run
// with its settings, data fingerprint, Kiln version, seed, duration, leaderboard, final metrics and the winner's
// artifact (plus its registry reference once registered); one row per candidate and fold with the fold's score.

import { migrate, openDb, sqlTypes, type Db, type Migration } from '../../core/db/index.js';
import { NotFoundError } from '../../core/errors.js';
import type { Json } from '../../core/artifact.js';

export const TRAIN_LAYER = 'train';

export const trainMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'training runs and per-fold scores',
    up: async (db) => {
      const { blob } = sqlTypes(db.dialect);
      await db.script(`
        CREATE TABLE train_runs (
          id TEXT PRIMARY KEY,
          name TEXT,                     -- the project's model name
          status TEXT NOT NULL,          -- running | complete | failed
          started_at TEXT NOT NULL,
          finished_at TEXT,
          duration_s DOUBLE PRECISION,
          kiln_version TEXT NOT NULL,
          seed INTEGER NOT NULL,
          budget_s DOUBLE PRECISION,     -- null when trial-limited
          trials INTEGER,                -- the trial limit, or null
          task TEXT NOT NULL,
          target TEXT NOT NULL,
          metric TEXT NOT NULL,
          data_fingerprint TEXT NOT NULL, -- JSON { sha256, rows, columns: [{ name, kind }] }
          settings TEXT NOT NULL,        -- JSON: the resolved project settings
          leaderboard TEXT,              -- JSON rows
          result TEXT,                   -- JSON: winner, metrics (cv, holdout), calibration, threshold, notes
          artifact ${blob},              -- the winner pipeline's encoded artifact
          artifact_sha256 TEXT,
          registry_ref TEXT,             -- e.g. churn/3 once registered
          error TEXT
        );
        CREATE INDEX train_runs_started ON train_runs (started_at);
        CREATE TABLE train_folds (
          run_id TEXT NOT NULL REFERENCES train_runs (id),
          candidate INTEGER NOT NULL,
          fold INTEGER NOT NULL,
          family TEXT NOT NULL,
          metric TEXT NOT NULL,
          value DOUBLE PRECISION NOT NULL,
          fit_s DOUBLE PRECISION NOT NULL,
          PRIMARY KEY (run_id, candidate, fold)
        );
      `);
    },
  },
];

export interface RunStart {
  readonly id: string;
  readonly name: string | null;
  readonly startedAt: string;
  readonly kilnVersion: string;
  readonly seed: number;
  readonly budgetSeconds: number | null;
  readonly trials: number | null;
  readonly task: string;
  readonly target: string;
  readonly metric: string;
  readonly dataFingerprint: Json;
  readonly settings: Json;
}

export interface FoldScore {
  readonly candidate: number;
  readonly fold: number;
  readonly family: string;
  readonly value: number;
  readonly fitSeconds: number;
}

export interface RunFinish {
  readonly finishedAt: string;
  readonly durationSeconds: number;
  readonly leaderboard: Json;
  readonly result: Json;
  readonly artifact: Uint8Array;
  readonly artifactSha256: string;
  readonly folds: readonly FoldScore[];
}

export interface RunRecord extends RunStart {
  readonly status: 'running' | 'complete' | 'failed';
  readonly finishedAt: string | null;
  readonly durationSeconds: number | null;
  readonly leaderboard: Json | null;
  readonly result: Json | null;
  readonly artifactSha256: string | null;
  readonly registryRef: string | null;
  readonly error: string | null;
}

interface RunRow {
  id: string;
  name: string | null;
  status: RunRecord['status'];
  started_at: string;
  finished_at: string | null;
  duration_s: number | null;
  kiln_version: string;
  seed: number;
  budget_s: number | null;
  trials: number | null;
  task: string;
  target: string;
  metric: string;
  data_fingerprint: string;
  settings: string;
  leaderboard: string | null;
  result: string | null;
  artifact_sha256: string | null;
  registry_ref: string | null;
  error: string | null;
}

const COLUMNS =
  'id, name, status, started_at, finished_at, duration_s, kiln_version, seed, budget_s, trials, task, target, metric, data_fingerprint, settings, leaderboard, result, artifact_sha256, registry_ref, error';

function fromRow(r: RunRow): RunRecord {
  const json = (s: string | null): Json | null => (s === null ? null : (JSON.parse(s) as Json));
  return {
    id: r.id,
    name: r.name,
    status: r.status,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    durationSeconds: r.duration_s === null ? null : Number(r.duration_s),
    kilnVersion: r.kiln_version,
    seed: Number(r.seed),
    budgetSeconds: r.budget_s === null ? null : Number(r.budget_s),
    trials: r.trials === null ? null : Number(r.trials),
    task: r.task,
    target: r.target,
    metric: r.metric,
    dataFingerprint: json(r.data_fingerprint)!,
    settings: json(r.settings)!,
    leaderboard: json(r.leaderboard),
    result: json(r.result),
    artifactSha256: r.artifact_sha256,
    registryRef: r.registry_ref,
    error: r.error,
  };
}

export class RunStore {
  private constructor(
    readonly db: Db,
    private readonly ownsDb: boolean,
  ) {}

  /** Open the project's database (see core/db openDb) and bring the run tables up to date. */
  static async open(options: { projectDir?: string; url?: string; db?: Db } = {}): Promise<RunStore> {
    const db = options.db ?? (await openDb(options.url, { projectDir: options.projectDir }));
    try {
      await migrate(db, TRAIN_LAYER, trainMigrations);
    } catch (e) {
      if (!options.db) await db.close();
      throw e;
    }
    return new RunStore(db, !options.db);
  }

  get location(): string {
    return this.db.location;
  }

  async start(run: RunStart): Promise<void> {
    await this.db.exec(
      'INSERT INTO train_runs (id, name, status, started_at, kiln_version, seed, budget_s, trials, task, target, metric, data_fingerprint, settings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)',
      [run.id, run.name, 'running', run.startedAt, run.kilnVersion, run.seed, run.budgetSeconds, run.trials, run.task, run.target, run.metric, JSON.stringify(run.dataFingerprint), JSON.stringify(run.settings)],
    );
  }

  async finish(id: string, f: RunFinish): Promise<void> {
    await this.db.transaction(async (tx) => {
      for (const s of f.folds)
        await tx.exec('INSERT INTO train_folds (run_id, candidate, fold, family, metric, value, fit_s) VALUES ($1, $2, $3, $4, (SELECT metric FROM train_runs WHERE id = $1), $5, $6)', [id, s.candidate, s.fold, s.family, s.value, s.fitSeconds]);
      await tx.exec(
        'UPDATE train_runs SET status = $2, finished_at = $3, duration_s = $4, leaderboard = $5, result = $6, artifact = $7, artifact_sha256 = $8 WHERE id = $1',
        [id, 'complete', f.finishedAt, f.durationSeconds, JSON.stringify(f.leaderboard), JSON.stringify(f.result), f.artifact, f.artifactSha256],
      );
    });
  }

  async fail(id: string, error: string, finishedAt: string, durationSeconds: number): Promise<void> {
    await this.db.exec('UPDATE train_runs SET status = $2, error = $3, finished_at = $4, duration_s = $5 WHERE id = $1', [id, 'failed', error, finishedAt, durationSeconds]);
  }

  async setRegistryRef(id: string, ref: string): Promise<void> {
    await this.db.exec('UPDATE train_runs SET registry_ref = $2 WHERE id = $1', [id, ref]);
  }

  /** newest first */
  async list(limit = 50): Promise<RunRecord[]> {
    const rows = await this.db.query<RunRow>(`SELECT ${COLUMNS} FROM train_runs ORDER BY started_at DESC, id DESC LIMIT $1`, [limit]);
    return rows.map(fromRow);
  }

  /** a run by id, by a unique id prefix, or "latest" */
  async get(ref: string): Promise<RunRecord> {
    const rows =
      ref === 'latest'
        ? await this.db.query<RunRow>(`SELECT ${COLUMNS} FROM train_runs ORDER BY started_at DESC, id DESC LIMIT 1`)
        : await this.db.query<RunRow>(`SELECT ${COLUMNS} FROM train_runs WHERE id = $1 OR id LIKE $2 ORDER BY id LIMIT 3`, [ref, `${ref.replace(/[%_\\]/g, '')}%`]);
    const exact = rows.find((r) => r.id === ref);
    if (exact) return fromRow(exact);
    if (rows.length === 1) return fromRow(rows[0]);
    if (!rows.length) throw new NotFoundError(`no run "${ref}"`, { hint: 'kiln runs lists the runs' });
    throw new NotFoundError(`"${ref}" matches several runs (${rows.map((r) => r.id).join(', ')})`, { hint: 'give more of the run id' });
  }

  async artifact(id: string): Promise<Uint8Array> {
    const rows = await this.db.query<{ artifact: Uint8Array | null }>('SELECT artifact FROM train_runs WHERE id = $1', [id]);
    const bytes = rows[0]?.artifact;
    if (!bytes) throw new NotFoundError(`run ${id} has no model artifact (it did not complete)`);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength).slice();
  }

  async folds(id: string): Promise<FoldScore[]> {
    const rows = await this.db.query<{ candidate: number; fold: number; family: string; value: number; fit_s: number }>(
      'SELECT candidate, fold, family, value, fit_s FROM train_folds WHERE run_id = $1 ORDER BY candidate, fold',
      [id],
    );
    return rows.map((r) => ({ candidate: Number(r.candidate), fold: Number(r.fold), family: r.family, value: Number(r.value), fitSeconds: Number(r.fit_s) }));
  }

  async close(): Promise<void> {
    if (this.ownsDb) await this.db.close();
  }
}
