// The fixed registry of model kinds: an artifact's `kind` string is looked up here to find the function that
// rebuilds the model from plain data. Nothing else is consulted, so loading a model file never runs its content.

import type { Artifact } from './artifact.js';
import { ModelFormatError } from './errors.js';
import type { Model } from './learner.js';

export type ModelLoader = (artifact: Artifact) => Model;

const loaders = new Map<string, ModelLoader>();

/** Called once per model family, at import time of its model file. */
export function registerModelKind(kind: string, loader: ModelLoader): void {
  const existing = loaders.get(kind);
  if (existing && existing !== loader) throw new Error(`model kind "${kind}" is registered twice`);
  loaders.set(kind, loader);
}

export function modelFromArtifact(artifact: Artifact): Model {
  const loader = loaders.get(artifact.kind);
  if (!loader) {
    throw new ModelFormatError(`unknown model kind "${artifact.kind}"`, {
      hint: `known kinds: ${[...loaders.keys()].sort().join(', ') || '(none loaded)'}`,
    });
  }
  return loader(artifact);
}

export function knownModelKinds(): string[] {
  return [...loaders.keys()].sort();
}
