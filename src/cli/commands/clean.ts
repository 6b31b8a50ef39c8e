// `kiln clean <source> -o out.csv|out.parquet`: fit a cleaning recipe, write the cleaned data and the recipe
// (out.recipe.json) next to it. `--apply recipe.json` applies an existing recipe to new data instead.

import { readFile } from 'node:fs/promises';
import { type Command, Option } from 'commander';
import { DataSourceError, ParamError } from '../../core/errors.js';
import {
  applyRecipeWithReport,
  type CleanOptions,
  cleanDataset,
  outputFormat,
  parseRecipe,
  readDataset,
  type Recipe,
  recipePathFor,
  type StepReport,
  writeFrame,
  writeRecipe,
} from '../../data/index.js';
import { action } from '../output.js';
import { addSourceOptions, readOptionsFrom, type SourceFlags } from './profile.js';

interface CleanFlags extends SourceFlags {
  output: string;
  apply?: string;
  recipe?: string;
  target?: string;
  impute?: CleanOptions['impute'];
  fillValue?: string;
  missingIndicator?: boolean;
  outliers?: CleanOptions['outliers'];
  outlierMethod?: CleanOptions['outlierMethod'];
  outlierThreshold?: string;
  keepDuplicates?: boolean;
  keepConstant?: boolean;
  json?: boolean;
}

export function register(program: Command): void {
  addSourceOptions(
    program
      .command('clean')
      .description('clean a data source and save the recipe, or apply a saved recipe to new data')
      .argument('<source>', 'file, sqlite:path.db, postgres://… or http(s)://…'),
  )
    .requiredOption('-o, --output <file>', 'where to write the cleaned data (.csv or .parquet)')
    .option('--apply <recipe>', 'apply this saved recipe (same types, medians and mappings) instead of fitting one')
    .option('--recipe <file>', 'where to write the recipe (default: <output>.recipe.json next to the output)')
    .option('--target <column>', 'the column to predict: never imputed or clipped; rows without it are dropped')
    .addOption(new Option('--impute <strategy>', 'how to fill missing numbers (labels use the most frequent)').choices(['median', 'most-frequent', 'constant', 'none']).default('median'))
    .option('--fill-value <value>', 'the value for --impute constant')
    .option('--missing-indicator', 'add <column>_missing 0/1 columns for columns with gaps')
    .addOption(new Option('--outliers <action>', 'clip, flag (<column>_outlier) or leave outliers').choices(['clip', 'flag', 'none']).default('clip'))
    .addOption(new Option('--outlier-method <method>', 'iqr (Q1-k·IQR..Q3+k·IQR) or robust-z (median/MAD)').choices(['iqr', 'robust-z']).default('iqr'))
    .option('--outlier-threshold <k>', 'k for iqr (default 3) or the z limit for robust-z (default 3.5)')
    .option('--keep-duplicates', 'keep exact duplicate rows')
    .option('--keep-constant', 'keep constant and all-missing columns')
    .option('--json', 'print the step report as JSON')
    .action(
      action(async (source: string, flags: CleanFlags) => {
        outputFormat(flags.output); // fail on a bad extension before reading anything
        const readOptions = readOptionsFrom(flags);
        let recipe: Recipe;
        let report: StepReport[];
        let rows: number;
        let written: string[];
        if (flags.apply) {
          recipe = await loadRecipe(flags.apply);
          // raw columns in: the recipe's own types decide, exactly as when it was fitted
          const dataset = await readDataset(source, { ...readOptions, infer: false });
          const result = applyRecipeWithReport(recipe, dataset.raw, { mode: 'data' });
          report = result.report;
          rows = result.frame.nRows;
          await writeFrame(result.frame, flags.output);
          written = [flags.output];
        } else {
          const dataset = await readDataset(source, readOptions);
          const result = cleanDataset(dataset, cleanOptionsFrom(flags));
          recipe = result.recipe;
          report = result.report;
          rows = result.frame.nRows;
          const recipeFile = flags.recipe ?? recipePathFor(flags.output);
          await writeFrame(result.frame, flags.output);
          await writeRecipe(recipe, recipeFile);
          written = [flags.output, recipeFile];
        }
        if (flags.json) {
          process.stdout.write(`${JSON.stringify({ rows, columns: recipe.output.length, steps: report, written }, null, 2)}\n`);
          return;
        }
        for (const step of report) process.stdout.write(`${step.step.padEnd(20)} ${step.summary}\n`);
        process.stdout.write(`\n${rows.toLocaleString('en-US')} rows × ${recipe.output.length} columns\n`);
        for (const file of written) process.stdout.write(`wrote ${file}\n`);
      }),
    );
}

function cleanOptionsFrom(flags: CleanFlags): CleanOptions {
  let threshold: number | undefined;
  if (flags.outlierThreshold !== undefined) {
    threshold = Number(flags.outlierThreshold);
    if (!(threshold > 0)) throw new ParamError([{ path: ['--outlier-threshold'], expected: 'a number > 0', received: flags.outlierThreshold }]);
  }
  let fillValue: string | number | undefined = flags.fillValue;
  if (fillValue !== undefined && fillValue.trim() !== '' && !Number.isNaN(Number(fillValue))) fillValue = Number(fillValue);
  return {
    target: flags.target,
    impute: flags.impute,
    fillValue,
    missingIndicator: flags.missingIndicator,
    outliers: flags.outliers,
    outlierMethod: flags.outlierMethod,
    outlierThreshold: threshold,
    dropDuplicates: !flags.keepDuplicates,
    dropConstant: !flags.keepConstant,
  };
}

async function loadRecipe(file: string): Promise<Recipe> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new DataSourceError(`cannot read the recipe ${file}`, { hint: 'give the .recipe.json that kiln clean wrote' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new DataSourceError(`the recipe ${file} is not valid JSON: ${(e as Error).message}`);
  }
  return parseRecipe(json, file);
}
