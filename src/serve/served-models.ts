// The models a server answers with: registry references (churn, churn@champion, churn/3) resolved to loaded
// Pipelines. Versions are immutable, so a loaded version is kept (a bounded number of them); aliases and
// "latest" are pointers that the registry watch re-resolves when the revision moves. A new version is loaded
// completely before its pointer is swapped, and a request keeps the ServedModel it started with, so promotion
// never fails a request in flight and needs no restart.

import { KilnError, isKilnError } from '../core/errors.js';
import { Pipeline } from '../features/index.js';
import { formatModelRef, watchRegistry, type ModelRef, type ModelVersion, type RegistryWatch, type Store } from '../registry/index.js';
import { explainerFor, type Explainer } from './explain.js';
// every kind kiln train ships: the families' fitted models and the ensemble/calibration wrapper
import '../train/model-kinds.js';

export interface ServedModel {
  readonly name: string;
  readonly version: number;
  readonly meta: ModelVersion;
  readonly pipeline: Pipeline;
  /** per-feature contributions, built on first use */
  explainer(): Explainer;
}

export interface ServedModelsOptions {
  /** loaded versions kept in memory (pinned by an alias or not); default 16 */
  maxVersions?: number;
  /** how often the registry revision is polled; default 1000 ms */
  watchIntervalMs?: number;
  /** a failed reload or poll (the previous version keeps serving) */
  onError?: (error: unknown) => void;
  /** an alias or "latest" now points at another version */
  onSwitch?: (ref: string, from: number, to: number) => void;
}

const versionKey = (name: string, version: number): string => `${name}/${version}`;

function makeServed(meta: ModelVersion, pipeline: Pipeline): ServedModel {
  let explainer: Explainer | undefined;
  return {
    name: meta.name,
    version: meta.version,
    meta,
    pipeline,
    explainer: () => (explainer ??= explainerFor(pipeline)),
  };
}

export class ServedModels {
  /** loaded (or loading) versions, oldest first */
  private readonly versions = new Map<string, Promise<ServedModel>>();
  /** alias and latest references → the version they serve now */
  private readonly pointers = new Map<string, ServedModel>();
  /** first resolutions in progress, so concurrent first requests share one load */
  private readonly resolving = new Map<string, Promise<ServedModel>>();
  private watch: RegistryWatch | undefined;
  private readonly maxVersions: number;

  constructor(
    private readonly store: Store,
    private readonly options: ServedModelsOptions = {},
  ) {
    this.maxVersions = Math.max(1, options.maxVersions ?? 16);
  }

  /** Start following the registry; resolves once the current revision is known. */
  async start(): Promise<void> {
    this.watch = watchRegistry(this.store, () => this.refresh(), { intervalMs: this.options.watchIntervalMs ?? 1000, onError: this.options.onError });
    await this.watch.ready.catch(() => undefined);
  }

  stop(): void {
    this.watch?.stop();
  }

  /** The served model for a reference already in memory, without waiting (the hot path), or undefined. */
  peek(ref: ModelRef): ServedModel | undefined {
    if (ref.kind === 'version') return undefined;
    return this.pointers.get(formatModelRef(ref));
  }

  /** The served model for a reference, loading it on first use. Unknown names, versions or aliases are 404s. */
  async get(ref: ModelRef): Promise<ServedModel> {
    if (ref.kind === 'version') return this.loadVersion(ref.name, ref.version);
    const key = formatModelRef(ref);
    const hit = this.pointers.get(key);
    if (hit) return hit;
    let pending = this.resolving.get(key);
    if (!pending) {
      pending = this.resolvePointer(ref).finally(() => this.resolving.delete(key));
      this.resolving.set(key, pending);
    }
    return pending;
  }

  /** The references currently followed, with the version each serves (for metrics and the model list). */
  pointerVersions(): { ref: string; name: string; version: number }[] {
    return [...this.pointers].map(([ref, m]) => ({ ref, name: m.name, version: m.version }));
  }

  private async resolvePointer(ref: ModelRef): Promise<ServedModel> {
    const meta = await this.store.resolve(ref);
    const served = await this.loadVersion(meta.name, meta.version);
    this.pointers.set(formatModelRef(ref), served);
    return served;
  }

  private loadVersion(name: string, version: number): Promise<ServedModel> {
    const key = versionKey(name, version);
    const cached = this.versions.get(key);
    if (cached) return cached;
    const loading = this.load(name, version);
    this.versions.set(key, loading);
    // a failed load is forgotten so that the next request tries again
    loading.catch(() => this.versions.delete(key));
    this.evict();
    return loading;
  }

  private async load(name: string, version: number): Promise<ServedModel> {
    const label = versionKey(name, version);
    const { version: meta, artifact } = await this.store.load({ kind: 'version', name, version });
    try {
      return makeServed(meta, Pipeline.fromArtifact(artifact));
    } catch (e) {
      // the cause is logged by the server; the client learns which model, not the internals
      throw new KilnError('E_MODEL_FORMAT', `model ${label} cannot be served: ${isKilnError(e) && e.status < 500 ? e.message : 'its artifact could not be loaded'}`, {
        status: 503,
        details: { public: true },
        hint: 'register a pipeline trained by kiln train',
        cause: e,
      });
    }
  }

  /** Forget the oldest loaded versions beyond the limit, except those a pointer serves. */
  private evict(): void {
    if (this.versions.size <= this.maxVersions) return;
    const pinned = new Set([...this.pointers.values()].map((m) => versionKey(m.name, m.version)));
    for (const key of this.versions.keys()) {
      if (this.versions.size <= this.maxVersions) break;
      if (!pinned.has(key)) this.versions.delete(key);
    }
  }

  /** Called after every registry change: re-resolve each pointer, load its new version, then swap. */
  private async refresh(): Promise<void> {
    for (const [key, current] of [...this.pointers]) {
      try {
        const meta = await this.store.resolve(key);
        if (meta.version === current.version && meta.name === current.name) continue;
        const next = await this.loadVersion(meta.name, meta.version);
        this.pointers.set(key, next);
        this.options.onSwitch?.(key, current.version, next.version);
      } catch (e) {
        if (isKilnError(e) && e.code === 'E_NOT_FOUND') {
          // the alias was removed: stop serving it; the next request gets the registry's 404
          this.pointers.delete(key);
        } else this.options.onError?.(e);
      }
    }
    this.evict();
  }
}
