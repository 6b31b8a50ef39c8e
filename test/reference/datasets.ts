// The shared datasets' fixed train/test splits and their meta.json, for reference tests: read through the data
// layer, with the target forced to a category for classification (creditcard's Class, covertype's Cover_Type).

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { categoryFromStrings, valueAt, type Frame } from '../../src/core/frame.js';
import { readFrame } from '../../src/data/index.js';
import { DATASETS_DIR } from '../helpers/shared.js';

export { DATASETS_DIR };

export interface DatasetMeta {
  target: string;
  task: 'binary' | 'multiclass' | 'regression';
  positive?: string | number;
  metric: string;
  drop?: string[];
}

export function datasetAvailable(name: string): boolean {
  return existsSync(path.join(DATASETS_DIR, name, 'train.csv'));
}

export function readMeta(name: string): DatasetMeta {
  return JSON.parse(readFileSync(path.join(DATASETS_DIR, name, 'meta.json'), 'utf8')) as DatasetMeta;
}

/**
 * The file as a Frame, read by the data layer as a user's file would be. `rows` keeps only the first rows (the
 * files are already shuffled by their fixed split), and `categories` forces columns to be categories even when
 * they look numeric.
 */
export async function readCsvFrame(file: string, options: { rows?: number; categories?: readonly string[] } = {}): Promise<Frame> {
  let frame = await readFrame(file);
  if (options.rows !== undefined) frame = frame.slice(0, options.rows);
  for (const name of options.categories ?? []) {
    const col = frame.column(name);
    if (col.kind === 'category') continue;
    const labels = Array.from({ length: frame.nRows }, (_, i) => {
      const v = valueAt(col, i);
      return v === null ? null : String(v);
    });
    frame = frame.withColumn(name, categoryFromStrings(labels));
  }
  return frame;
}

export function readSplit(name: string, split: 'train' | 'test', rows?: number): Promise<Frame> {
  const meta = readMeta(name);
  // the target is a label even when it is written as digits (creditcard's Class, covertype's Cover_Type)
  const categories = meta.task === 'regression' ? [] : [meta.target];
  return readCsvFrame(path.join(DATASETS_DIR, name, `${split}.csv`), { rows, categories });
}
