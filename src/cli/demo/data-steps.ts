// The demo's first half, step 1 and 2 of a user's job: read the example, let init choose the target, task and
// metric (written to kiln.yaml with the reasons), profile the data and clean it.
import path from 'node:path';
import { writeFileAtomic } from '../../core/atomic-file.js';
import { cleanDataset, formatProfile, profileDataset, readDataset, recipePathFor, writeFrame, writeProfileHtml, writeRecipe } from '../../data/index.js';
import { init } from '../../train/index.js';
import { type DemoStep, required } from './context.js';

export const DATA_STEPS: DemoStep[] = [
  {
    name: 'read and plan',
    async run(ctx) {
      ctx.dataset = await readDataset(ctx.dataFile);
      const { frame } = ctx.dataset;
      ctx.log(`read ${path.relative(process.cwd(), ctx.dataFile) || ctx.dataFile}: ${frame.nRows.toLocaleString('en-US')} rows × ${frame.nCols} columns`);
      const plan = await init({ data: ctx.dataFile, goal: ctx.goal, dataset: ctx.dataset, projectDir: ctx.outDir, time: ctx.time });
      ctx.plan = plan;
      const yaml = path.join(ctx.outDir, 'kiln.yaml');
      await writeFileAtomic(yaml, plan.yaml);
      ctx.outputs.push({ file: yaml, what: 'the project: target, task, metric, validation, budget (kiln init wrote it, reasons as comments)' });
      ctx.log(`goal "${ctx.goal}": target ${plan.target.value} (${plan.target.reason}); task ${plan.task.value}; metric ${plan.metric.value} (${plan.metric.reason})`);
      for (const d of plan.drop) ctx.log(`  drop ${d.column}: ${d.reason}`);
    },
  },
  {
    name: 'profile',
    async run(ctx) {
      const dataset = required(ctx.dataset, 'read');
      ctx.profile = profileDataset(dataset, { target: ctx.plan?.target.value });
      const html = path.join(ctx.outDir, 'report.html');
      const json = path.join(ctx.outDir, 'profile.json');
      await writeProfileHtml(ctx.profile, html);
      await writeFileAtomic(json, `${JSON.stringify(ctx.profile, null, 2)}\n`);
      ctx.outputs.push({ file: html, what: 'data-quality report (open in a browser)' }, { file: json, what: 'the profile as JSON' });
      ctx.log(formatProfile(ctx.profile));
    },
  },
  {
    name: 'clean',
    async run(ctx) {
      const dataset = required(ctx.dataset, 'read');
      const result = cleanDataset(dataset, { target: ctx.plan?.target.value });
      const data = path.join(ctx.outDir, 'cleaned.csv');
      const recipe = recipePathFor(data);
      await writeFrame(result.frame, data);
      await writeRecipe(result.recipe, recipe);
      ctx.outputs.push({ file: data, what: 'cleaned data' }, { file: recipe, what: 'the cleaning recipe (kiln clean --apply)' });
      for (const step of result.report) ctx.log(`clean: ${step.step.padEnd(20)} ${step.summary}`);
    },
  },
];
