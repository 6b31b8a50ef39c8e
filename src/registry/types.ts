// The registry's data types and the `Store` interface that every backend (SQLite + files, PostgreSQL) implements.

import type { Artifact, Json } from '../core/artifact.js';
import type { ModelRef } from './ref.js';

/** Where a version came from. */
export interface Lineage {
  /** the training run that produced it (train layer), when known */
  runId: string | null;
  /** the training data's fingerprint (hash, rows, schema — whatever the train layer records) */
  dataFingerprint: Json | null;
  /** scores, e.g. { roc_auc: 0.91 } */
  metrics: { [name: string]: Json };
  /** hyper-parameters of the winning pipeline */
  params: { [name: string]: Json };
  /** the Kiln version that registered it */
  kilnVersion: string;
  /** ISO-8601 time of registration */
  createdAt: string;
  /** who registered it (KILN_USER, else the login name) */
  createdBy: string;
}

/** One registered version: everything except the artifact bytes (load them with Store.load / loadBytes). */
export interface ModelVersion {
  name: string;
  version: number;
  /** the artifact's kind, e.g. the pipeline's */
  kind: string;
  /** sha256 (hex) of the whole artifact file, checked on every load */
  sha256: string;
  sizeBytes: number;
  /** the input signature, copied from the artifact at registration so a server can validate without loading */
  signature: Json | null;
  description: string | null;
  lineage: Lineage;
  /** aliases that point at this version now, sorted */
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  createdAt: string;
  createdBy: string;
  /** time of the last registration or alias change */
  updatedAt: string;
  latestVersion: number;
  versionCount: number;
  /** alias → version */
  aliases: Record<string, number>;
}

export type AliasAction = 'promote' | 'rollback' | 'delete';

/** One entry of an alias's history (who moved it when, from which version to which). */
export interface AliasEvent {
  name: string;
  alias: string;
  action: AliasAction;
  /** null when the alias did not exist before */
  fromVersion: number | null;
  /** null when the alias was deleted */
  toVersion: number | null;
  at: string;
  by: string;
  /** the registry revision this change produced */
  revision: number;
}

/** The result of promote / rollback / removeAlias. */
export interface AliasChange extends AliasEvent {
  /** false when the alias already pointed there: nothing was written and `revision` is the current one */
  changed: boolean;
}

export interface RegisterInput {
  name: string;
  /** the artifact, or its encoded bytes (decoded once to validate them) */
  artifact: Artifact | Uint8Array;
  /** default: the artifact's meta.signature, else null */
  signature?: Json | null;
  lineage?: { runId?: string | null; dataFingerprint?: Json | null; metrics?: { [name: string]: Json }; params?: { [name: string]: Json } };
  description?: string | null;
  /** aliases to point at the new version in the same transaction (recorded in the history as promotions) */
  aliases?: readonly string[];
  /** default: KILN_USER, else the login name */
  by?: string;
}

export interface ActorOptions {
  /** who makes the change; default: KILN_USER, else the login name */
  by?: string;
}

export interface CleanOptions {
  /** leave files younger than this alone (a registration may be about to commit them); default one hour */
  olderThanMs?: number;
}

/**
 * The model registry. Every change is one transaction; reads never see half a registration. Every method that
 * names a model accepts a reference string (see parseModelRef) or a parsed ModelRef.
 */
export interface Store {
  /** the database and artifact locations, for messages */
  readonly location: string;

  /** Add a new version (1, 2, 3 … per name); the model is created on its first version. */
  register(input: RegisterInput): Promise<ModelVersion>;
  listModels(): Promise<RegisteredModel[]>;
  /** throws NotFoundError for an unknown name */
  getModel(name: string): Promise<RegisteredModel>;
  /** newest first; throws NotFoundError for an unknown name */
  listVersions(name: string): Promise<ModelVersion[]>;
  /** Resolve a reference to a version's metadata (signature included), without loading the artifact. */
  resolve(ref: string | ModelRef): Promise<ModelVersion>;
  /** The artifact bytes, sha256-verified (a mismatch is a ModelFormatError). */
  loadBytes(ref: string | ModelRef): Promise<{ version: ModelVersion; bytes: Uint8Array }>;
  /** The decoded artifact (data only: decodeArtifact; turning it into a model is the caller's step). */
  load(ref: string | ModelRef): Promise<{ version: ModelVersion; artifact: Artifact }>;

  /** Point `alias` at the version `target` names (churn/3, churn@staging, churn = latest). */
  promote(target: string | ModelRef, alias: string, options?: ActorOptions): Promise<AliasChange>;
  /** Return `alias` to the version it pointed at before its last promotion (repeatable, like an undo stack). */
  rollback(name: string, alias: string, options?: ActorOptions): Promise<AliasChange>;
  removeAlias(name: string, alias: string, options?: ActorOptions): Promise<AliasChange>;
  /** oldest first; every alias of the model when `alias` is omitted */
  aliasHistory(name: string, alias?: string): Promise<AliasEvent[]>;

  /**
   * A number that grows with every change to the registry (registration or alias move). Cheap to read: a server
   * polls it (say once a second) and re-resolves its aliases only when it changed. See watchRegistry.
   */
  revision(): Promise<number>;
  /** Remove artifact files no version references and temp files left by crashed writers. */
  cleanOrphans(options?: CleanOptions): Promise<{ removed: string[] }>;
  close(): Promise<void>;
}
