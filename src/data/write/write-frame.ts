// Writing a Frame to a file chosen by extension (.csv, .parquet), and the recipe JSON next to it.
// Every write goes to a temporary name and is renamed into place, so a failure leaves no half file.

import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-file.js';
import { KilnError } from '../../core/errors.js';
import type { Frame } from '../../core/frame.js';
import type { Recipe } from '../recipe/recipe.js';
import { writeCsv } from './write-csv.js';
import { writeParquet } from './write-parquet.js';

export type OutputFormat = 'csv' | 'parquet';

export function outputFormat(file: string): OutputFormat {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.parquet' || ext === '.pq') return 'parquet';
  throw new KilnError('E_VALIDATION', `cannot tell the output format of ${file}`, { hint: 'name the output .csv or .parquet' });
}

export async function writeFrame(frame: Frame, file: string): Promise<void> {
  if (outputFormat(file) === 'csv') await writeCsv(frame, file);
  else await writeParquet(frame, file);
}

/** Where the recipe for an output goes: `clean.parquet` -> `clean.recipe.json`, in the same folder. */
export function recipePathFor(output: string): string {
  const ext = path.extname(output);
  return path.join(path.dirname(output), `${path.basename(output, ext)}.recipe.json`);
}

export async function writeRecipe(recipe: Recipe, file: string): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(recipe, null, 2)}\n`);
}
