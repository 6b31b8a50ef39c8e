// Which reference a check compares with, in order:
//  1. the one the user picks: a file (--reference old.csv) or a window of the prediction log (--reference-since);
//  2. the reference stored with the version (at registration, by kiln retrain, or by an earlier check);
//  3. the version's training data: the project's data file, if its fingerprint still equals the one recorded in
//     the version's lineage — sketched once and stored, so later checks take path 2.
// A version trained elsewhere on data that is gone has none of these: the error says how to pick one.

import type { Db } from '../../core/db/index.js';
import { KilnError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import { type ReadOptions, readDataset, readFrame } from '../../data/index.js';
import type { Pipeline } from '../../features/index.js';
import type { ModelVersion } from '../../registry/index.js';
import { fingerprint, type LoadedProject } from '../../train/index.js';
import { type MonitoringReference, buildMonitoringReference } from '../reference.js';
import { type LogWindow, currentFromLog, describeWindow } from './current-data.js';
import { MonitorStore } from './store.js';

export type ReferenceChoice = { readonly file: string; readonly readOptions?: ReadOptions } | { readonly log: LogWindow };

export interface ResolvedReference {
  readonly reference: MonitoringReference;
  /** how it was found, in words */
  readonly how: string;
}

export async function referenceFor(args: {
  db: Db;
  monitorStore: MonitorStore;
  version: ModelVersion;
  pipeline: Pipeline;
  project: LoadedProject | null;
  choice?: ReferenceChoice | null;
}): Promise<ResolvedReference> {
  const { version, pipeline, choice } = args;
  const label = `${version.name}/${version.version}`;
  if (choice && 'file' in choice) {
    const frame = await readFrame(choice.file, choice.readOptions ?? {});
    return { reference: buildMonitoringReference(frame, pipeline, { source: `file ${choice.file}` }), how: `picked: ${choice.file}` };
  }
  if (choice && 'log' in choice) {
    const data = await currentFromLog(args.db, pipeline, version.name, choice.log);
    return { reference: buildMonitoringReference(data.frame, pipeline, { source: data.source }), how: `picked: the prediction log (${describeWindow(choice.log)})` };
  }
  const stored = await args.monitorStore.loadReference(version.name, version.version);
  if (stored) return { reference: stored, how: `stored with ${label}: ${stored.source}` };

  const recorded = (version.lineage.dataFingerprint as { sha256?: unknown } | null)?.sha256;
  const pick = 'pick a reference: --reference <file> (e.g. the training data) or --reference-since/--reference-until (a window of the prediction log)';
  if (!args.project || typeof recorded !== 'string')
    throw new KilnError('E_NOT_FOUND', `${label} has no stored monitoring reference${typeof recorded === 'string' ? ' and no kiln.yaml names its training data' : ' and no training-data fingerprint'}`, { hint: pick });
  const dataset = await readDataset(args.project.source, args.project.project.data.options as ReadOptions);
  const print = fingerprint(dataset.frame);
  if (print.sha256 !== recorded)
    throw new KilnError('E_CONFLICT', `the project's data (${args.project.project.data.source}) is not what ${label} was trained on: its fingerprint changed`, { hint: pick, status: 409 });
  const reference = buildMonitoringReference(dataset.frame, pipeline, { source: `training data ${args.project.project.data.source} (sha256 ${recorded.slice(0, 12)}…)` });
  await args.monitorStore.saveReference(version.name, version.version, reference);
  return { reference, how: `training data of ${label}, matched by fingerprint and stored` };
}

/**
 * Sketch a version's training rows and store the sketch with the version: what `kiln train` (after registering
 * the winner) and `kiln retrain` (after registering the challenger) call, so monitoring never needs the training
 * file again. `to` is an open MonitorStore or the project folder (its database is opened and closed).
 */
export async function saveMonitoringReference(
  to: MonitorStore | { readonly projectDir: string },
  name: string,
  version: number,
  frame: Frame,
  pipeline: Pipeline,
  source = 'training data',
): Promise<MonitoringReference> {
  const reference = buildMonitoringReference(frame, pipeline, { source });
  const store = 'projectDir' in to ? await MonitorStore.open({ projectDir: to.projectDir }) : to;
  try {
    await store.saveReference(name, version, reference);
  } finally {
    if (store !== to) await store.close();
  }
  return reference;
}
