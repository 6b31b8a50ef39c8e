// What the demo's steps share: the example, where outputs go, and what earlier steps produced.
import type { Dataset, DataProfile } from '../../data/index.js';
import { DataSourceError } from '../../core/errors.js';
import type { InitResult } from '../../train/index.js';

export interface DemoContext {
  /** the example's data file (absolute) */
  readonly dataFile: string;
  /** the demo project folder (absolute): kiln.yaml, its .kiln/ database and every output */
  readonly outDir: string;
  /** the training budget, e.g. 30s */
  readonly time: string;
  /** one line on what the model is for, given to init */
  readonly goal: string;
  dataset?: Dataset;
  plan?: InitResult;
  profile?: DataProfile;
  /** files written, with what they are */
  readonly outputs: { file: string; what: string }[];
  log(line: string): void;
}

export interface DemoStep {
  readonly name: string;
  run(context: DemoContext): Promise<void>;
}

export function required<T>(value: T | undefined, step: string): T {
  if (value === undefined) throw new DataSourceError(`the demo's "${step}" step did not run`);
  return value;
}
