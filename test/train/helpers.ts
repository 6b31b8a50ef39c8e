// Test helper: a project for train() built in code, and slices of the shared data sets read once per file.
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Dataset, readDataset } from '../../src/data/index.js';
import { parseProject, type Project } from '../../src/train/project/schema.js';
import { dataset } from '../data/helpers/datasets.js';

/** a validated project from kiln.yaml-shaped data (snake_case, as in the file) */
export function projectOf(fields: Record<string, unknown>): { project: Project; dir: string } {
  return { project: parseProject({ data: 'unused.csv', ...fields }), dir: mkdtempSync(path.join(os.tmpdir(), 'kiln-train-test-')) };
}

const cache = new Map<string, Promise<Dataset>>();

/** the first `rows` rows of a shared data file */
export function slice(file: string, rows: number): Promise<Dataset> {
  const key = `${file}:${rows}`;
  if (!cache.has(key)) cache.set(key, readDataset(dataset(file), { limit: rows }));
  return cache.get(key)!;
}
