// Benchmark entry point:  npm run bench -- <suite> [suite options]
// Each suite runs Kiln and the reference library on the same data in the same run, prints a table with the
// ratios and writes JSON under bench/results/. Suites live beside the layer they measure (bench/ mirrors src/).

const suites: Record<string, () => Promise<{ run(args: string[]): Promise<void> }>> = {
  automl: () => import('./train/automl.js'),
  ingest: () => import('./data/ingest.js'),
  families: () => import('./models/families.js'),
  gbdt: () => import('./models/gbdt.js'),
  'gbdt-predict': () => import('./models/gbdt-predict.js'),
  linear: () => import('./models/linear.js'),
  serve: () => import('./serve/serve.js'),
};

const [name, ...args] = process.argv.slice(2);
if (!name || !suites[name]) {
  console.error(`usage: npm run bench -- <suite> [options]\nsuites: ${Object.keys(suites).sort().join(', ') || '(none yet)'}`);
  process.exit(2);
}
const suite = await suites[name]();
await suite.run(args);
