// The model registry (step 5, deploy): registered models, their versions (artifact + lineage + signature + sha256),
// MLflow-style aliases with history and rollback. SQLite + artifact files by default, PostgreSQL when
// KILN_DATABASE_URL is set — one Store interface, one implementation over core/db.
//
// API overview
//   const store = await openRegistry({ projectDir?, url?, db?, artifacts?: 'db' | { dir } });
//   await store.register({ name: 'churn', artifact /* Artifact or encoded bytes */, signature?, description?,
//                          lineage?: { runId, dataFingerprint, metrics, params }, aliases?: ['staging'], by? })
//                                                           → ModelVersion { name, version, kind, sha256, sizeBytes,
//                                                              signature, description, lineage, aliases }
//   await store.resolve('churn@champion')                   → ModelVersion (no artifact load; has the signature)
//   await store.load('models:/churn/3')                     → { version, artifact }  (sha256-verified, decodeArtifact)
//   await store.loadBytes('churn')                          → { version, bytes }     (latest version, verified bytes)
//   await store.listModels() / getModel(name) / listVersions(name)
//   await store.promote('churn/3', 'champion', { by? })     → AliasChange { fromVersion, toVersion, changed, revision … }
//   await store.rollback('churn', 'champion') / removeAlias('churn', 'champion') / aliasHistory('churn', 'champion')
//   await store.revision()                                  → number, grows with every change (cheap to poll)
//   watchRegistry(store, async (rev) => { re-resolve aliases }, { intervalMs: 1000 })  → { ready, stop() }
//   await store.cleanOrphans({ olderThanMs })               → removes unreferenced artifact/temp files
//   await store.close()
//
// References (parseModelRef, accepted by every method that names a version):
//   churn · churn/latest · churn/3 · churn@champion, each optionally prefixed with models:/
//
// Errors: NotFoundError (unknown model, version or alias; status 404), ValidationError (bad name, alias or reference;
// 400), ModelFormatError (artifact missing, damaged or not a Kiln artifact; 500 when stored, 400 when registered),
// KilnError E_CONFLICT (nothing to roll back to; 409).
//
// Live promotion: a server polls store.revision() (or uses watchRegistry) and re-resolves its aliases when the number
// changes; every registration and alias move bumps it in the same transaction, on both backends.
export { openRegistry, type OpenRegistryOptions } from './open.js';
export { watchRegistry, type RegistryWatch, type WatchOptions } from './watch.js';
export { parseModelRef, formatModelRef, type ModelRef } from './ref.js';
export { validateModelName, validateAlias, validateVersion, modelNameProblem, aliasProblem } from './names.js';
export { registryMigrations, REGISTRY_LAYER } from './schema.js';
export type {
  ActorOptions,
  AliasAction,
  AliasChange,
  AliasEvent,
  CleanOptions,
  Lineage,
  ModelVersion,
  RegisterInput,
  RegisteredModel,
  Store,
} from './types.js';
