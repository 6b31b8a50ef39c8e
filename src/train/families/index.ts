// The table of model families the trainer knows, in the order their portfolios are tried. Adding a family is
// one file beside this one and one row here; kiln.yaml's `families.include` / `exclude` name these rows.

import type { Family, FamilyContext } from './family.js';
import { extraTreesFamily, randomForestFamily } from './forest.js';
import { gbdtFamily } from './gbdt.js';
import { linearFamily } from './linear.js';
import { mlpFamily } from './mlp.js';
import { naiveBayesFamily } from './bayes.js';
import { neighborsFamily } from './neighbors.js';

export type { Family, FamilyContext, PortfolioEntry } from './family.js';

export const FAMILIES: readonly Family[] = [gbdtFamily, linearFamily, randomForestFamily, extraTreesFamily, mlpFamily, neighborsFamily, naiveBayesFamily];

export const FAMILY_NAMES: readonly string[] = FAMILIES.map((f) => f.name);

export function familyByName(name: string): Family | undefined {
  return FAMILIES.find((f) => f.name === name);
}

/** The families a run uses: those the project includes (default all), minus excluded ones, that suit the task and data. */
export function chooseFamilies(ctx: FamilyContext, include: readonly string[] | undefined, exclude: readonly string[] | undefined): { used: Family[]; skipped: { name: string; reason: string }[] } {
  const used: Family[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const family of FAMILIES) {
    if (include?.length && !include.includes(family.name)) continue;
    if (exclude?.includes(family.name)) {
      skipped.push({ name: family.name, reason: 'excluded in kiln.yaml' });
      continue;
    }
    if (!family.tasks.includes(ctx.task)) {
      skipped.push({ name: family.name, reason: `does not do ${ctx.task}` });
      continue;
    }
    const why = family.unsuitable(ctx);
    if (why) skipped.push({ name: family.name, reason: why });
    else used.push(family);
  }
  return { used, skipped };
}
