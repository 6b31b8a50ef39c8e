// The registry Store over a core/db Db: the same code on SQLite and PostgreSQL. Artifact bytes go to files
// (written durably before the transaction that names them) or to the database (inside that transaction).
// Every change first bumps registry_state.revision, which also serialises registry writers on PostgreSQL.

import { promises as fs } from 'node:fs';
import { userInfo } from 'node:os';
import { decodeArtifact, encodeArtifact, type Artifact, type Json } from '../core/artifact.js';
import type { Db } from '../core/db/index.js';
import { KilnError, ModelFormatError, NotFoundError, ValidationError } from '../core/errors.js';
import { KILN_VERSION } from '../core/version.js';
import { currentAlias, moveAlias, noSuchAlias, nothingToRollBack, readHistory, rollbackTarget } from './aliases.js';
import { FileArtifacts, dbArtifacts, plainBytes, sha256Hex, type ArtifactStoreKind } from './artifact-storage.js';
import { validateAlias, validateModelName } from './names.js';
import { formatModelRef, parseModelRef, type ModelRef } from './ref.js';
import type {
  ActorOptions,
  AliasChange,
  AliasEvent,
  CleanOptions,
  Lineage,
  ModelVersion,
  RegisterInput,
  RegisteredModel,
  Store,
} from './types.js';

interface VersionRow {
  name: string;
  version: number;
  kind: string;
  sha256: string;
  size_bytes: number;
  artifact_store: ArtifactStoreKind;
  signature: string | null;
  description: string | null;
  run_id: string | null;
  data_fingerprint: string | null;
  metrics: string;
  params: string;
  kiln_version: string;
  created_at: string;
  created_by: string;
}

interface ModelRow {
  name: string;
  latest_version: number;
  version_count: number;
  created_at: string;
  created_by: string;
  updated_at: string;
}

export interface SqlStoreOptions {
  /** where new artifacts are written */
  writeTo: ArtifactStoreKind;
  /** the artifacts folder (written when writeTo is 'file'; read for versions stored as files) */
  artifactsDir: string;
  /** close the Db when the store closes */
  ownsDb: boolean;
}

const ONE_HOUR_MS = 60 * 60 * 1000;

/** Who is acting: an explicit name, else KILN_USER, else the login name. */
function actor(by: string | undefined): string {
  const who = (by ?? process.env.KILN_USER ?? '').trim() || safeLogin();
  if (who.length > 200) throw new ValidationError('the user name is longer than 200 characters', [{ path: ['by'], expected: '≤ 200 characters', received: `${who.length} characters` }]);
  return who;
}

function safeLogin(): string {
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

function parseStoredJson(text: string | null, what: string): Json | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new ModelFormatError(`the registry's ${what} is not valid JSON`, { status: 500 });
  }
}

function jsonObject(value: unknown, field: string): { [key: string]: Json } {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(`lineage.${field} must be an object`, [{ path: ['lineage', field], expected: 'an object', received: typeof value }]);
  }
  return value as { [key: string]: Json };
}

function notFoundModel(name: string): NotFoundError {
  return new NotFoundError(`no model named "${name}" in the registry`, { hint: 'kiln models lists the registered models' });
}

export class SqlStore implements Store {
  readonly location: string;
  private readonly files: FileArtifacts;

  constructor(
    private readonly db: Db,
    private readonly options: SqlStoreOptions,
  ) {
    this.files = new FileArtifacts(options.artifactsDir);
    this.location = `${db.location} (artifacts: ${options.writeTo === 'db' ? 'in the database' : options.artifactsDir})`;
  }

  async register(input: RegisterInput): Promise<ModelVersion> {
    const name = validateModelName(input.name);
    const aliases = [...new Set((input.aliases ?? []).map(validateAlias))];
    const by = actor(input.by);
    let artifact: Artifact;
    let bytes: Uint8Array;
    if (input.artifact instanceof Uint8Array) {
      bytes = plainBytes(input.artifact);
      artifact = decodeArtifact(bytes, `artifact for "${name}"`);
    } else {
      artifact = input.artifact;
      bytes = encodeArtifact(artifact);
    }
    const signature = input.signature !== undefined ? input.signature : (artifact.meta.signature ?? null);
    const lineage = input.lineage ?? {};
    const metrics = JSON.stringify(jsonObject(lineage.metrics, 'metrics'));
    const params = JSON.stringify(jsonObject(lineage.params, 'params'));
    const sha = sha256Hex(bytes);
    const writeTo = this.options.writeTo;

    // files: durable on disk before any row names them, so a crash leaves at worst an unreferenced file
    if (writeTo === 'file') await this.files.write(sha, bytes);

    const version = await this.db.transaction(async (tx) => {
      const revision = await bumpRevision(tx);
      const at = new Date().toISOString();
      await tx.exec(
        'INSERT INTO registry_models (name, latest_version, created_at, created_by, updated_at) VALUES ($1, 0, $2, $3, $2) ON CONFLICT (name) DO NOTHING',
        [name, at, by],
      );
      const [{ latest_version }] = await tx.query<{ latest_version: number }>(
        'UPDATE registry_models SET latest_version = latest_version + 1, updated_at = $2 WHERE name = $1 RETURNING latest_version',
        [name, at],
      );
      const version = Number(latest_version);
      if (writeTo === 'db') await dbArtifacts.write(tx, sha, bytes);
      await tx.exec(
        'INSERT INTO registry_versions (name, version, kind, sha256, size_bytes, artifact_store, signature, description, run_id, ' +
          'data_fingerprint, metrics, params, kiln_version, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)',
        [
          name,
          version,
          artifact.kind,
          sha,
          bytes.length,
          writeTo,
          signature === null ? null : JSON.stringify(signature),
          input.description ?? null,
          lineage.runId ?? null,
          lineage.dataFingerprint === undefined || lineage.dataFingerprint === null ? null : JSON.stringify(lineage.dataFingerprint),
          metrics,
          params,
          KILN_VERSION,
          at,
          by,
        ],
      );
      for (const alias of aliases) await moveAlias(tx, { name, alias, action: 'promote', to: version, by, at, revision });
      return version;
    });

    // cleanOrphans may have removed an old identical file between write() and the commit; put it back
    if (writeTo === 'file' && !(await fs.stat(this.files.pathFor(sha)).catch(() => undefined))) await this.files.write(sha, bytes);
    return this.resolve({ kind: 'version', name, version });
  }

  async listModels(): Promise<RegisteredModel[]> {
    const models = await this.db.query<ModelRow>(
      'SELECT m.*, (SELECT COUNT(*) FROM registry_versions v WHERE v.name = m.name) AS version_count FROM registry_models m ORDER BY m.name',
    );
    const aliases = await this.db.query<{ name: string; alias: string; version: number }>('SELECT name, alias, version FROM registry_aliases ORDER BY alias');
    return models.map((m) => toModel(m, aliases.filter((a) => a.name === m.name)));
  }

  async getModel(name: string): Promise<RegisteredModel> {
    validateModelName(name);
    const models = await this.db.query<ModelRow>(
      'SELECT m.*, (SELECT COUNT(*) FROM registry_versions v WHERE v.name = m.name) AS version_count FROM registry_models m WHERE m.name = $1',
      [name],
    );
    if (!models.length) throw notFoundModel(name);
    return toModel(models[0], await this.aliasRows(this.db, name));
  }

  async listVersions(name: string): Promise<ModelVersion[]> {
    validateModelName(name);
    const rows = await this.db.query<VersionRow>('SELECT * FROM registry_versions WHERE name = $1 ORDER BY version DESC', [name]);
    if (!rows.length) throw notFoundModel(name);
    const aliases = await this.aliasRows(this.db, name);
    return rows.map((r) => toVersion(r, aliases));
  }

  async resolve(ref: string | ModelRef): Promise<ModelVersion> {
    const row = await findVersion(this.db, parseModelRef(ref));
    return toVersion(row, await this.aliasRows(this.db, row.name));
  }

  async loadBytes(ref: string | ModelRef): Promise<{ version: ModelVersion; bytes: Uint8Array }> {
    const row = await findVersion(this.db, parseModelRef(ref));
    const version = toVersion(row, await this.aliasRows(this.db, row.name));
    const label = `${row.name}/${row.version}`;
    const where = row.artifact_store === 'db' ? 'in the database' : this.files.pathFor(row.sha256);
    const bytes = row.artifact_store === 'db' ? await dbArtifacts.read(this.db, row.sha256) : await this.files.read(row.sha256);
    if (!bytes) {
      throw new ModelFormatError(`the artifact of ${label} is missing (${where})`, {
        status: 500,
        hint: 'restore the artifacts folder from a backup, or register the model again',
      });
    }
    const actual = sha256Hex(bytes);
    if (actual !== row.sha256) {
      throw new ModelFormatError(
        `the artifact of ${label} is damaged: its sha256 is ${actual.slice(0, 12)}…, the registry recorded ${row.sha256.slice(0, 12)}… (${where})`,
        { status: 500, hint: 'restore the file from a backup, or register the model again' },
      );
    }
    return { version, bytes };
  }

  async load(ref: string | ModelRef): Promise<{ version: ModelVersion; artifact: Artifact }> {
    const { version, bytes } = await this.loadBytes(ref);
    return { version, artifact: decodeArtifact(bytes, `${version.name}/${version.version}`) };
  }

  async promote(target: string | ModelRef, alias: string, options: ActorOptions = {}): Promise<AliasChange> {
    const ref = parseModelRef(target);
    validateAlias(alias);
    const by = actor(options.by);
    return this.db.transaction(async (tx) => {
      const row = await findVersion(tx, ref);
      const from = await currentAlias(tx, row.name, alias);
      if (from === row.version) return unchanged(row.name, alias, from, by, await readRevision(tx));
      const revision = await bumpRevision(tx);
      return moveAlias(tx, { name: row.name, alias, action: 'promote', to: Number(row.version), by, at: new Date().toISOString(), revision });
    });
  }

  async rollback(name: string, alias: string, options: ActorOptions = {}): Promise<AliasChange> {
    validateModelName(name);
    validateAlias(alias);
    const by = actor(options.by);
    return this.db.transaction(async (tx) => {
      await requireModel(tx, name);
      const history = await readHistory(tx, name, alias);
      if (!history.length) throw noSuchAlias(name, alias, (await this.aliasRows(tx, name)).map((a) => a.alias));
      const target = rollbackTarget(history);
      if (target === undefined || target === null) throw nothingToRollBack(name, alias, history);
      const revision = await bumpRevision(tx);
      return moveAlias(tx, { name, alias, action: 'rollback', to: target, by, at: new Date().toISOString(), revision });
    });
  }

  async removeAlias(name: string, alias: string, options: ActorOptions = {}): Promise<AliasChange> {
    validateModelName(name);
    validateAlias(alias);
    const by = actor(options.by);
    return this.db.transaction(async (tx) => {
      await requireModel(tx, name);
      if ((await currentAlias(tx, name, alias)) === null) throw noSuchAlias(name, alias, (await this.aliasRows(tx, name)).map((a) => a.alias));
      const revision = await bumpRevision(tx);
      return moveAlias(tx, { name, alias, action: 'delete', to: null, by, at: new Date().toISOString(), revision });
    });
  }

  async aliasHistory(name: string, alias?: string): Promise<AliasEvent[]> {
    validateModelName(name);
    if (alias !== undefined) validateAlias(alias);
    await requireModel(this.db, name);
    return readHistory(this.db, name, alias);
  }

  revision(): Promise<number> {
    return readRevision(this.db);
  }

  async cleanOrphans(options: CleanOptions = {}): Promise<{ removed: string[] }> {
    const referenced = await this.db.query<{ sha256: string }>("SELECT DISTINCT sha256 FROM registry_versions WHERE artifact_store = 'file'");
    const removed = await this.files.clean(new Set(referenced.map((r) => r.sha256)), options.olderThanMs ?? ONE_HOUR_MS);
    removed.push(...(await dbArtifacts.clean(this.db)));
    return { removed };
  }

  async close(): Promise<void> {
    if (this.options.ownsDb) await this.db.close();
  }

  private aliasRows(db: Db, name: string): Promise<{ name: string; alias: string; version: number }[]> {
    return db.query('SELECT name, alias, version FROM registry_aliases WHERE name = $1 ORDER BY alias', [name]);
  }
}

async function bumpRevision(tx: Db): Promise<number> {
  const [{ revision }] = await tx.query<{ revision: number }>('UPDATE registry_state SET revision = revision + 1 WHERE id = 1 RETURNING revision');
  return Number(revision);
}

async function readRevision(db: Db): Promise<number> {
  const [{ revision }] = await db.query<{ revision: number }>('SELECT revision FROM registry_state WHERE id = 1');
  return Number(revision);
}

async function requireModel(db: Db, name: string): Promise<void> {
  const rows = await db.query('SELECT name FROM registry_models WHERE name = $1', [name]);
  if (!rows.length) throw notFoundModel(name);
}

/** The version row a reference names, or a NotFoundError that says what exists instead. */
async function findVersion(db: Db, ref: ModelRef): Promise<VersionRow> {
  const { name } = ref;
  let rows: VersionRow[];
  if (ref.kind === 'latest') {
    rows = await db.query<VersionRow>('SELECT * FROM registry_versions WHERE name = $1 ORDER BY version DESC LIMIT 1', [name]);
  } else if (ref.kind === 'version') {
    rows = await db.query<VersionRow>('SELECT * FROM registry_versions WHERE name = $1 AND version = $2', [name, ref.version]);
  } else {
    rows = await db.query<VersionRow>(
      'SELECT v.* FROM registry_aliases a JOIN registry_versions v ON v.name = a.name AND v.version = a.version WHERE a.name = $1 AND a.alias = $2',
      [name, ref.alias],
    );
  }
  if (rows.length) return rows[0];
  const model = await db.query<{ latest_version: number }>('SELECT latest_version FROM registry_models WHERE name = $1', [name]);
  if (!model.length) throw notFoundModel(name);
  if (ref.kind === 'version') {
    throw new NotFoundError(`model "${name}" has no version ${ref.version} (versions 1 to ${model[0].latest_version})`, {
      hint: `kiln models ${name} lists its versions`,
    });
  }
  if (ref.kind === 'alias') {
    const aliases = await db.query<{ alias: string }>('SELECT alias FROM registry_aliases WHERE name = $1 ORDER BY alias', [name]);
    throw noSuchAlias(name, ref.alias, aliases.map((a) => a.alias));
  }
  throw new KilnError('E_INTERNAL', `model "${name}" has no versions (${formatModelRef(ref)})`, { status: 500 });
}

function unchanged(name: string, alias: string, version: number, by: string, revision: number): AliasChange {
  return { name, alias, action: 'promote', fromVersion: version, toVersion: version, at: new Date().toISOString(), by, revision, changed: false };
}

function toVersion(r: VersionRow, aliases: readonly { alias: string; version: number }[]): ModelVersion {
  const version = Number(r.version);
  const lineage: Lineage = {
    runId: r.run_id,
    dataFingerprint: parseStoredJson(r.data_fingerprint, 'data fingerprint'),
    metrics: (parseStoredJson(r.metrics, 'metrics') ?? {}) as { [k: string]: Json },
    params: (parseStoredJson(r.params, 'params') ?? {}) as { [k: string]: Json },
    kilnVersion: r.kiln_version,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
  return {
    name: r.name,
    version,
    kind: r.kind,
    sha256: r.sha256,
    sizeBytes: Number(r.size_bytes),
    signature: parseStoredJson(r.signature, 'signature'),
    description: r.description,
    lineage,
    aliases: aliases.filter((a) => Number(a.version) === version).map((a) => a.alias),
  };
}

function toModel(m: ModelRow, aliases: readonly { alias: string; version: number }[]): RegisteredModel {
  return {
    name: m.name,
    createdAt: m.created_at,
    createdBy: m.created_by,
    updatedAt: m.updated_at,
    latestVersion: Number(m.latest_version),
    versionCount: Number(m.version_count),
    aliases: Object.fromEntries(aliases.map((a) => [a.alias, Number(a.version)])),
  };
}
