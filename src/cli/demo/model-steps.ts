// The demo's second half, steps 3 to 6: train within the budget and register the winner (kiln train), serve it
// over HTTP and ask for a few predictions, replay the example's rows through the API with their actual outcomes
// sent as feedback (what a live system logs), and end with a monitoring report on that log (kiln monitor).
// The kiln verbs run in the demo project folder, as a user would run them there.
import path from 'node:path';
import { KilnError } from '../../core/errors.js';
import { openRegistry } from '../../registry/index.js';
import { startServer } from '../../serve/index.js';
import { type DemoContext, type DemoStep, required } from './context.js';
import { runKiln } from './run-kiln.js';

/** rows per replayed request: a realistic batch, well under the server's body limit */
const REPLAY_BATCH = 500;
/** single predictions shown one by one */
const SHOWN = 3;

async function inProject<T>(ctx: DemoContext, fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(ctx.outDir);
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}

async function postJson(url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new KilnError('E_STEP_FAILED', `POST ${new URL(url).pathname} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

const modelName = (ctx: DemoContext): string => required(ctx.plan, 'read and plan').name.value;

export const MODEL_STEPS: DemoStep[] = [
  {
    name: 'train and register',
    async run(ctx) {
      await inProject(ctx, async () => {
        await runKiln(['train', 'kiln.yaml', '--time', ctx.time, '--report', 'train.html'], ctx.log);
        // on a second run the new version registers as a candidate beside the first run's champion: the demo
        // serves what it just trained, so it promotes it, as a user would after reading the report
        const store = await openRegistry({ projectDir: ctx.outDir });
        let model;
        try {
          model = await store.getModel(modelName(ctx));
        } finally {
          await store.close();
        }
        if (model.aliases.champion !== model.latestVersion) await runKiln(['promote', `${model.name}/${model.latestVersion}`, '--alias', 'champion'], ctx.log);
      });
      ctx.outputs.push({ file: path.join(ctx.outDir, 'train.html'), what: 'training report: leaderboard, curves, confusion matrix, importance' });
    },
  },
  {
    name: 'serve and predict',
    async run(ctx) {
      const dataset = required(ctx.dataset, 'read');
      const target = required(ctx.plan, 'read and plan').target.value;
      const ref = `${modelName(ctx)}@champion`;
      const server = await startServer({ projectDir: ctx.outDir, port: 0 });
      try {
        ctx.log(`serving the registry of ${ctx.outDir} on ${server.url} (as \`kiln serve\` does there)`);
        const url = `${server.url}/v1/models/${encodeURIComponent(ref)}/predict`;
        const records = dataset.frame.drop([target]).toRecords();
        const actual = dataset.frame.toRecords().map((r) => r[target]);
        for (let i = 0; i < Math.min(SHOWN, records.length); i++) {
          const answer = await postJson(url, records[i]);
          const p = (answer.probabilities as Record<string, number>[] | undefined)?.[0];
          const shown = p ? ` (${Object.entries(p).map(([c, v]) => `${c} ${v.toFixed(3)}`).join(', ')})` : '';
          ctx.log(`POST /v1/models/${ref}/predict  row ${i + 1} → ${String((answer.predictions as unknown[])[0])}${shown}; actual ${String(actual[i])}`);
        }
        // the rest of the example as live traffic: each batch predicted, then its actual outcomes sent back
        let labelled = 0;
        for (let start = 0; start < records.length; start += REPLAY_BATCH) {
          const rows = records.slice(start, start + REPLAY_BATCH);
          const answer = await postJson(url, { rows });
          const feedback = rows.map((_, j) => ({ request_id: answer.request_id, row_index: j, actual: actual[start + j] })).filter((f) => f.actual !== null);
          if (feedback.length) labelled += Number((await postJson(`${server.url}/v1/models/${encodeURIComponent(ref)}/feedback`, { feedback })).accepted);
        }
        ctx.log(`replayed ${records.length.toLocaleString('en-US')} rows in ${Math.ceil(records.length / REPLAY_BATCH)} requests of up to ${REPLAY_BATCH}; sent ${labelled.toLocaleString('en-US')} actual outcomes as feedback`);
        ctx.log('(the model learned from these very rows, so their measured performance is optimistic; live traffic would be new customers)');
      } finally {
        await server.close();
      }
    },
  },
  {
    name: 'monitor',
    async run(ctx) {
      await inProject(ctx, () => runKiln(['monitor', `${modelName(ctx)}@champion`, '--since', 'all', '--report', 'monitor.html'], ctx.log));
      ctx.outputs.push({ file: path.join(ctx.outDir, 'monitor.html'), what: 'monitoring report: drift and performance of the logged predictions' });
    },
  },
];
