// The cleaning-recipe slot of a Pipeline. The recipe format and `applyRecipe` belong to the data layer
// (src/data/recipe); until they are wired in, a pipeline carries no recipe and refuses one rather than
// silently skipping a cleaning step its model was trained after.

import type { Json } from '../core/artifact.js';
import { KilnError } from '../core/errors.js';
import type { Frame } from '../core/frame.js';

/** A cleaning recipe as plain JSON (the data layer's format). */
export type CleaningRecipe = { readonly [key: string]: Json };

export function applyCleaning(_recipe: CleaningRecipe, _frame: Frame, _mode: 'data' | 'predict'): Frame {
  throw new KilnError('E_MODEL_FORMAT', 'this pipeline carries a cleaning recipe, and applying recipes is not wired into pipelines yet');
}

/** the recipe's input columns with a role */
export function recipeColumns(recipe: CleaningRecipe, role: 'feature' | 'identifier'): string[] {
  const columns = (recipe as { columns?: { name: string; role: string }[] }).columns ?? [];
  return columns.filter((c) => c.role === role).map((c) => c.name);
}
