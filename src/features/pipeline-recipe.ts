// The cleaning-recipe step of a Pipeline: the data layer's recipe (src/data/recipe), applied to incoming rows
// before the feature chain. Only its isomorphic modules are imported, so the browser runtime can clean too.

import { KilnError, ModelFormatError } from '../core/errors.js';
import { Frame } from '../core/frame.js';
import { coerceColumn } from '../data/coerce.js';
import { applyRecipe } from '../data/recipe/apply-recipe.js';
import { parseRecipe, type Recipe } from '../data/recipe/recipe.js';

export type CleaningRecipe = Recipe;

/** `data`: cleaning training rows (rows may be dropped); `predict`: one answer per input row */
export function applyCleaning(recipe: CleaningRecipe, frame: Frame, mode: 'data' | 'predict'): Frame {
  return applyRecipe(recipe, frame, { mode });
}

/** the recipe's input columns with a role */
export function recipeColumns(recipe: CleaningRecipe, role: 'feature' | 'identifier' | 'target'): string[] {
  return recipe.columns.filter((c) => c.role === role).map((c) => c.name);
}

/**
 * The input columns typed as the recipe reads them (text holding numbers becomes numbers...), without any other
 * cleaning: what a client is expected to send, and so what the signature describes.
 */
export function typedInput(recipe: CleaningRecipe, frame: Frame): Frame {
  const spec = new Map(recipe.columns.map((c) => [c.name, c]));
  return Frame.fromColumns(
    frame.names.map((name) => {
      const c = spec.get(name);
      return [name, c ? coerceColumn(frame.column(name), c.parse) : frame.column(name)] as const;
    }),
    frame.nRows,
  );
}

/** a stored recipe, checked; a bad one is a damaged model file */
export function recipeFromJSON(json: unknown): CleaningRecipe {
  try {
    return parseRecipe(json, 'the pipeline recipe');
  } catch (e) {
    throw new ModelFormatError(e instanceof KilnError ? e.message : String(e));
  }
}
