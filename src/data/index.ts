// The data layer's public API (step 2, collect & clean): read any source into a typed Frame, infer column
// types, fit and apply cleaning recipes, profile data quality, and write Frames out.
export { readDataset, readFrame } from './read-frame.js';
export type { BadRows, Dataset, FileFormat, ReadOptions, SourceReport, TextEncoding } from './read-options.js';
export { parseSource, redactSource, type SourceSpec } from './source.js';
export { DEFAULT_MISSING_MARKERS, type ColumnInfo, type ColumnParse, type DataSchema, type SemanticType } from './schema.js';
export { applySchema, inferColumn, inferSchema } from './infer.js';
export { coerceColumn, parseDate, parseNumber } from './coerce.js';
export { applyRecipe, applyRecipeWithReport, type ApplyOptions, type StepReport } from './recipe/apply-recipe.js';
export { parseRecipe, type Recipe, type RecipeColumn, type RecipeStep, RECIPE_FORMAT, RECIPE_VERSION } from './recipe/recipe.js';
export { fitRecipe, type CleanOptions } from './recipe/fit-recipe.js';
export { cleanDataset, type CleanResult } from './clean.js';
export { profileDataset, type DataProfile, type ProfileOptions } from './profile/profile.js';
export type { ColumnProfile } from './profile/column-profile.js';
export type { DataWarning, WarningKind } from './profile/warnings.js';
export { formatProfile } from './profile/format-text.js';
export { renderProfileHtml, writeProfileHtml } from './profile/report-html.js';
export { outputFormat, recipePathFor, writeFrame, writeRecipe } from './write/write-frame.js';
export { duplicateRows, countDuplicates } from './row-hash.js';
