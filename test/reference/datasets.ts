// Reads the shared datasets' clean train/test CSV files (comma-separated, header row, no quoting in the tabular
// ones) into Frames for reference tests and benchmarks, without depending on the data layer: a column whose
// non-empty cells all parse as numbers becomes a number column, any other a category; empty cells are missing.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { categoryFromStrings, Frame, numberColumn, type Column } from '../../src/core/frame.js';

export const DATASETS_DIR = process.env.KILN_DATASETS ?? path.resolve(import.meta.dirname, '../../../shared/datasets');

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

/** Split a CSV line on commas, honouring double quotes (with "" as an escaped quote). */
function splitLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(cell);
      cell = '';
    } else cell += ch;
  }
  out.push(cell);
  return out;
}

/**
 * The file as a Frame. `rows` keeps only the first rows (the files are already shuffled by their fixed split),
 * and `categories` forces columns to be read as categories even when they look numeric.
 */
export function readCsvFrame(file: string, options: { rows?: number; categories?: readonly string[] } = {}): Frame {
  const lines = readFileSync(file, 'utf8').split('\n');
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  const header = splitLine(lines[0].replace(/\r$/, ''));
  const body = lines.slice(1, options.rows === undefined ? undefined : options.rows + 1).map((l) => splitLine(l.replace(/\r$/, '')));
  const columns: [string, Column][] = header.map((name, j) => {
    const cells = body.map((r) => {
      const v = (r[j] ?? '').trim();
      return v === '' ? null : v;
    });
    const numeric = !options.categories?.includes(name) && cells.every((v) => v === null || Number.isFinite(Number(v)));
    return [name, numeric ? numberColumn(Float64Array.from(cells, (v) => (v === null ? NaN : Number(v)))) : categoryFromStrings(cells)];
  });
  return Frame.fromColumns(columns, body.length);
}

export function readSplit(name: string, split: 'train' | 'test', rows?: number): Frame {
  const meta = readMeta(name);
  // the target is a label even when it is written as digits (creditcard's Class, covertype's Cover_Type)
  const categories = meta.task === 'regression' ? [] : [meta.target];
  return readCsvFrame(path.join(DATASETS_DIR, name, `${split}.csv`), { rows, categories });
}
