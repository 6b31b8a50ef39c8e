// `kiln clean` as a library call: fit a recipe on a read data set, then produce the cleaned Frame by applying
// that recipe to the data as the source stored it, exactly as `kiln clean --apply` will do with new data.

import { applyRecipeWithReport, type StepReport } from './recipe/apply-recipe.js';
import { type CleanOptions, fitRecipe } from './recipe/fit-recipe.js';
import type { Recipe } from './recipe/recipe.js';
import type { Dataset } from './read-options.js';
import type { Frame } from '../core/frame.js';

export interface CleanResult {
  frame: Frame;
  recipe: Recipe;
  report: StepReport[];
}

export function cleanDataset(dataset: Dataset, options: CleanOptions = {}): CleanResult {
  const recipe = fitRecipe(dataset.frame, dataset.schema, options);
  // the same path as --apply: raw columns in, recipe out, so both give identical output for identical input
  const { frame, report } = applyRecipeWithReport(recipe, dataset.raw, { mode: 'data' });
  return { frame, recipe, report };
}
