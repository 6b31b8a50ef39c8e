// The monitor layer's tables in the project database (SQLite .kiln/kiln.db, or PostgreSQL): the monitoring
// reference of each model version, every check that ran (what the report's history and the retrain policy read),
// and every retrain decision with its numbers.
//   monitor_references  (model_name, model_version) → the encoded reference artifact (reference.ts)
//   monitor_checks      one row per check: statuses, rows, drift share, failing columns, the summary as JSON
//   monitor_decisions   one row per `kiln retrain`: champion and challenger versions and scores, margin, verdict

import { type Db, type Migration, migrate, openDb, sqlTypes } from '../../core/db/index.js';
import { type Json, sha256Hex } from '../../core/artifact.js';
import { type MonitoringReference, referenceFromBytes, referenceToBytes } from '../reference.js';

export const MONITOR_LAYER = 'monitor';

export const monitorMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'monitoring references, checks and retrain decisions',
    up: async (db) => {
      const { id, blob } = sqlTypes(db.dialect);
      await db.script(`
        CREATE TABLE monitor_references (
          model_name TEXT NOT NULL,
          model_version INTEGER NOT NULL,
          source TEXT NOT NULL,          -- where the rows came from, in words
          n_rows BIGINT NOT NULL,
          sha256 TEXT NOT NULL,
          bytes ${blob} NOT NULL,        -- the encoded reference artifact
          created_at TEXT NOT NULL,
          PRIMARY KEY (model_name, model_version)
        );
        CREATE TABLE monitor_checks (
          id ${id},
          model_name TEXT NOT NULL,
          model_version INTEGER NOT NULL,
          at TEXT NOT NULL,
          status TEXT NOT NULL,          -- ok | alert
          drift TEXT NOT NULL,           -- pass | fail | skipped
          performance TEXT NOT NULL,     -- pass | fail | skipped
          current_rows BIGINT NOT NULL,
          labelled_rows BIGINT NOT NULL,
          drift_share DOUBLE PRECISION,
          summary TEXT NOT NULL          -- JSON: reasons, drifted columns, scores, metrics
        );
        CREATE INDEX monitor_checks_model ON monitor_checks (model_name, at);
        CREATE TABLE monitor_decisions (
          id ${id},
          model_name TEXT NOT NULL,
          at TEXT NOT NULL,
          trigger TEXT NOT NULL,         -- manual | drift | performance
          champion_version INTEGER,      -- null when there was no champion
          challenger_version INTEGER NOT NULL,
          metric TEXT NOT NULL,
          champion_score DOUBLE PRECISION,
          challenger_score DOUBLE PRECISION,
          margin DOUBLE PRECISION NOT NULL,
          evaluation_rows BIGINT NOT NULL,
          training_rows BIGINT NOT NULL,
          promoted INTEGER NOT NULL,     -- 1: challenger became champion; 0: registered as challenger
          reason TEXT NOT NULL,
          details TEXT NOT NULL          -- JSON: every metric of both models, data windows, run id
        );
        CREATE INDEX monitor_decisions_model ON monitor_decisions (model_name, at);
      `);
    },
  },
];

export interface CheckRecord {
  id: number;
  modelName: string;
  modelVersion: number;
  at: string;
  status: 'ok' | 'alert';
  drift: string;
  performance: string;
  currentRows: number;
  labelledRows: number;
  driftShare: number | null;
  summary: Json;
}

export interface DecisionRecord {
  id: number;
  modelName: string;
  at: string;
  trigger: 'manual' | 'drift' | 'performance';
  championVersion: number | null;
  challengerVersion: number;
  metric: string;
  championScore: number | null;
  challengerScore: number | null;
  margin: number;
  evaluationRows: number;
  trainingRows: number;
  promoted: boolean;
  reason: string;
  details: Json;
}

type Row = Record<string, unknown>;
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export class MonitorStore {
  private constructor(
    readonly db: Db,
    private readonly ownsDb: boolean,
  ) {}

  /** Open on a Db (not closed by close()) or the project's database; brings the tables up to date. */
  static async open(options: { db?: Db; projectDir?: string; url?: string; env?: NodeJS.ProcessEnv } = {}): Promise<MonitorStore> {
    const db = options.db ?? (await openDb(options.url, { projectDir: options.projectDir, env: options.env }));
    try {
      await migrate(db, MONITOR_LAYER, monitorMigrations);
    } catch (e) {
      if (!options.db) await db.close();
      throw e;
    }
    return new MonitorStore(db, !options.db);
  }

  async close(): Promise<void> {
    if (this.ownsDb) await this.db.close();
  }

  /** Store (or replace) the reference of a version. */
  async saveReference(name: string, version: number, ref: MonitoringReference): Promise<void> {
    const bytes = referenceToBytes(ref);
    await this.db.exec(
      `INSERT INTO monitor_references (model_name, model_version, source, n_rows, sha256, bytes, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (model_name, model_version) DO UPDATE SET source = excluded.source, n_rows = excluded.n_rows, sha256 = excluded.sha256, bytes = excluded.bytes, created_at = excluded.created_at`,
      [name, version, ref.source, ref.sketch.nRows, sha256Hex(bytes), bytes, ref.createdAt],
    );
  }

  /** The stored reference of a version, or null. */
  async loadReference(name: string, version: number): Promise<MonitoringReference | null> {
    const rows = await this.db.query<{ bytes: Uint8Array }>('SELECT bytes FROM monitor_references WHERE model_name = $1 AND model_version = $2', [name, version]);
    return rows.length ? referenceFromBytes(rows[0].bytes, `monitoring reference of ${name}/${version}`) : null;
  }

  async recordCheck(c: Omit<CheckRecord, 'id'>): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO monitor_checks (model_name, model_version, at, status, drift, performance, current_rows, labelled_rows, drift_share, summary)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [c.modelName, c.modelVersion, c.at, c.status, c.drift, c.performance, c.currentRows, c.labelledRows, c.driftShare, JSON.stringify(c.summary)],
    );
    return Number(rows[0].id);
  }

  /** The latest checks of a model, oldest first. */
  async listChecks(name: string, limit = 100): Promise<CheckRecord[]> {
    const rows = await this.db.query<Row>('SELECT * FROM monitor_checks WHERE model_name = $1 ORDER BY at DESC, id DESC LIMIT $2', [name, limit]);
    return rows.reverse().map((r) => ({
      id: Number(r.id),
      modelName: String(r.model_name),
      modelVersion: Number(r.model_version),
      at: String(r.at),
      status: r.status as 'ok' | 'alert',
      drift: String(r.drift),
      performance: String(r.performance),
      currentRows: Number(r.current_rows),
      labelledRows: Number(r.labelled_rows),
      driftShare: num(r.drift_share),
      summary: JSON.parse(String(r.summary)) as Json,
    }));
  }

  async recordDecision(d: Omit<DecisionRecord, 'id'>): Promise<number> {
    const rows = await this.db.query<{ id: number }>(
      `INSERT INTO monitor_decisions (model_name, at, trigger, champion_version, challenger_version, metric, champion_score, challenger_score, margin, evaluation_rows, training_rows, promoted, reason, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [d.modelName, d.at, d.trigger, d.championVersion, d.challengerVersion, d.metric, d.championScore, d.challengerScore, d.margin, d.evaluationRows, d.trainingRows, d.promoted ? 1 : 0, d.reason, JSON.stringify(d.details)],
    );
    return Number(rows[0].id);
  }

  /** Retrain decisions of a model, oldest first. */
  async listDecisions(name: string, limit = 100): Promise<DecisionRecord[]> {
    const rows = await this.db.query<Row>('SELECT * FROM monitor_decisions WHERE model_name = $1 ORDER BY at DESC, id DESC LIMIT $2', [name, limit]);
    return rows.reverse().map((r) => ({
      id: Number(r.id),
      modelName: String(r.model_name),
      at: String(r.at),
      trigger: r.trigger as DecisionRecord['trigger'],
      championVersion: num(r.champion_version),
      challengerVersion: Number(r.challenger_version),
      metric: String(r.metric),
      championScore: num(r.champion_score),
      challengerScore: num(r.challenger_score),
      margin: Number(r.margin),
      evaluationRows: Number(r.evaluation_rows),
      trainingRows: Number(r.training_rows),
      promoted: Number(r.promoted) === 1,
      reason: String(r.reason),
      details: JSON.parse(String(r.details)) as Json,
    }));
  }
}
