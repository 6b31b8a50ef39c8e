// The train layer's public API (steps 1 and 4): understand the problem (init → kiln.yaml), train and tune within
// a budget (train → a Pipeline, a leaderboard and a recorded run), score on new labelled data (evaluate); plus
// the metrics, the project file, the run store and the HTML report.
//
//   const proposal = await init({ data: 'churn.csv', goal: 'predict which customers churn' });   // .yaml, .target…
//   const run = await train({ project: 'kiln.yaml', overrides: { seconds: 60 } });               // .pipeline, .leaderboard
//   const scores = evaluate(run.pipeline, await readFrame('new.csv'));                           // .metrics, .confusion
import './model-kinds.js';

export { init, type InitOptions, type InitResult } from './init/init.js';
export { train, newRunId, BUDGET_TOLERANCE, type TrainOptions, type TrainProgress, type TrainResult } from './train.js';
export { evaluate, type Evaluation } from './evaluate.js';
export { loadProject, parseProjectYaml, resolveSource, type LoadedProject } from './project/load.js';
export { parseProject, projectSchema, TASKS, type Project, type ProjectTask } from './project/schema.js';
export type { TrainSettings, Overrides } from './settings.js';
export { Budget, BudgetExceeded, deadlineSignal, formatDuration, parseDuration } from './budget.js';
export { RunStore, trainMigrations, TRAIN_LAYER, type RunRecord, type FoldScore } from './runs/store.js';
export { fingerprint, type DataFingerprint } from './runs/fingerprint.js';
export type { LeaderboardRow } from './leaderboard.js';
export { EnsembleModel, ENSEMBLE_KIND, frameFromMatrix } from './composite/ensemble-model.js';
export { FAMILIES, FAMILY_NAMES, type Family } from './families/index.js';
export { renderTrainReport, writeTrainReport } from './report/report-html.js';
export * from './metrics/index.js';
