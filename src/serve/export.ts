// `kiln export`: write a registered version's artifact to a file that kiln/runtime loads in Node or a browser.
// The bytes are the registry's own (sha256-verified on the way out) and are checked to load as a pipeline
// before anything is written; the file appears atomically (temp file, fsync, rename).

import { writeFileAtomic } from '../core/atomic-file.js';
import { KilnError } from '../core/errors.js';
import { Pipeline } from '../features/index.js';
import type { ModelRef, ModelVersion, Store } from '../registry/index.js';
// every kind kiln train ships: the families' fitted models and the ensemble/calibration wrapper
import '../train/model-kinds.js';

export interface ExportResult {
  version: ModelVersion;
  file: string;
  sizeBytes: number;
  sha256: string;
}

export async function exportModel(store: Store, ref: string | ModelRef, file: string): Promise<ExportResult> {
  const { version, bytes } = await store.loadBytes(ref);
  const label = `${version.name}/${version.version}`;
  try {
    // what the runtime will do with the file: refuse now rather than ship something it cannot load
    Pipeline.fromBytes(bytes, label);
  } catch (e) {
    throw new KilnError('E_MODEL_FORMAT', `${label} cannot be exported for the runtime: ${(e as Error).message}`, {
      hint: 'only pipelines (what kiln train registers) run in kiln/runtime',
      cause: e,
    });
  }
  await writeFileAtomic(file, bytes);
  return { version, file, sizeBytes: bytes.length, sha256: version.sha256 };
}
