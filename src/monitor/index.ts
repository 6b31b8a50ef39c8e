// The monitor layer's public API: drift, performance over time with and without labels, the stored reference
// sketch, windows and the simulations that calibrate trust in an alarm. Everything here is pure (Frames and
// typed arrays in, plain results out) and runs in Node or a browser; the server, prediction logs, alerts and
// retraining wire it up elsewhere.
//
// Drift (Evidently's default preset):
//   detectDrift(reference, current, options?) → DatasetDrift { columns: ColumnDrift[], share, drifted, … }
//     reference: a Frame or a ReferenceSketch; current: a Frame. Per column { column, type, test, score,
//     threshold, drifted }. Test per column: present reference values <= 1000 → KS (numeric) or chi-square
//     (categorical, or numeric with <= 5 distinct values), p < 0.05 drifts; larger → Wasserstein / reference std
//     (numeric) or Jensen–Shannon distance, base 2 (otherwise), >= 0.1 drifts. Dataset drifts when the share of
//     drifted columns >= driftShare (0.5). Options (drift-options.ts): columns, exclude, driftShare, test,
//     columnTests, thresholds, psiBins, smallReferenceRows, fewValues, jensenShannonBase.
//   missingValueDrift(reference, current, { alpha, minChange }?) → per-column missing share change.
//   predictionDrift(task, referenceOutputs, currentOutputs) → ColumnDrift on scores (binary), values
//     (regression) or predicted labels (multiclass).
//   Statistics on their own: ksTwoSample, kolmogorovSf, chiSquareHomogeneity, chiSquareSf, wassersteinDistance,
//     normalisedWasserstein, jensenShannonDistance, populationStabilityIndex, quantileEdges, countInBins.
//
// Reference without the training file:
//   ReferenceSketch.build(trainingFrame, { sampleSize: 5000, seed: 42 }) — a seeded row sample plus exact per-column
//   summaries; a ColumnSource, so detectDrift(sketch, current) works; sketch.toArtifact() /
//   ReferenceSketch.fromArtifact(artifact) store it with a model version (encodeArtifact for bytes).
//
// Performance:
//   estimatePerformance(probabilities, { threshold, predicted }?) — CBPE (NannyML): expected ROC AUC, accuracy,
//     precision, recall, F1 of a calibrated binary classifier without labels; realisedSpread(...) gives the
//     sampling sd of the realised metrics for a band. fitIsotonic / applyIsotonic calibrate scores on labelled
//     reference rows first when needed.
//   realisedPerformance(task, yTrue (NaN = not labelled yet), modelOutput, windows, { baseline, maxDrop }?) —
//     train/metrics per window, flagged `degraded` against the training-time baseline.
//   estimatedPerformance(scores, windows, { calibration }?) — CBPE per window.
//
// Over time:
//   rowWindows(nRows, size) / timeWindows(epochMs, 'hour' | 'day' | 'week' | 'month' | ms) → Window[];
//   driftOverWindows(reference, current, windows, options?) → per-window DatasetDrift and per-column series.
//
// One check, judged (check.ts): runCheck({ task, metric, threshold, features, reference, referencePrediction,
//   current, output, predictionColumn, yTrue, times, baseline, settings }) → MonitorCheck { drift, missing,
//   prediction, alerting, windows, overTime, performance, checks: { drift, performance }, failed }. Column-level
//   drift alerts (any drifted column; p-value tests Bonferroni-corrected) unless settings.drift.alert_on: dataset.
//   parseMonitorSettings(kiln.yaml's monitor section) → MonitorSettings with defaults (settings.ts).
//   buildMonitoringReference(trainingFrame, pipeline) → { sketch (inputs + "(prediction)"), features, … }, stored
//   per version as an artifact (referenceToBytes / referenceFromBytes).
//   Node-side (prediction log, database, alerts, reports, retraining): src/monitor/service/index.ts.
//
// How much to trust an alarm:
//   falseAlarmRate(data, { reference?, trials, currentRows, referenceRows, seed, drift }) — dataset-drift alarms on
//     seeded undrifted resamples; rowsToDetectShift(data, column, { shiftStd: 0.5, sizes, power: 0.9, … }) — the
//     smallest current window that flags a shift of k standard deviations.

export { type ColumnDrift, columnDrift, defaultTest } from './column-drift.js';
export { type ColumnSource, type ColumnValues, type CategoricalValues, type NumericValues, columnValues, frameSource } from './column-values.js';
export { type DatasetDrift, detectDrift, summarise as summariseDrift } from './dataset-drift.js';
export { DEFAULT_THRESHOLDS, DRIFT_OPTIONS, DRIFT_TESTS, type DriftOptions, type DriftTestName, resolveDriftOptions } from './drift-options.js';
export { type ColumnMissingDrift, type MissingDrift, type MissingDriftOptions, missingValueDrift } from './missing-drift.js';
export { predictionDrift } from './prediction-drift.js';
export { type ColumnSummary, ReferenceSketch, SKETCH_KIND, type SketchOptions } from './sketch.js';
export { CBPE_METRICS, type ExpectedConfusion, type MetricSpread, type PerformanceEstimate, estimatePerformance, expectedRocAuc, realisedSpread } from './cbpe.js';
export { type IsotonicCalibration, applyIsotonic, fitIsotonic } from '../train/calibration/isotonic.js';
export { type PerformanceOptions, WINDOW_METRICS, type WindowEstimate, type WindowPerformance, degradedMetrics, estimatedPerformance, realisedPerformance } from './performance.js';
export { type DriftSeries, type TimeUnit, type Window, type WindowedDrift, driftOverWindows, rowWindows, timeWindows } from './windows.js';
export { type CheckInput, type CheckOutcome, type CheckStatus, type MonitorCheck, type PerformanceResult, checkWindows, estimateOf, runCheck } from './check.js';
export { CHECKS, type CheckName, type MonitorSettings, type WindowSetting, driftOptionsOf, formatSpan, parseMonitorSettings, parseSpan } from './settings.js';
export { type MonitoringReference, PREDICTION_COLUMN, REFERENCE_KIND, buildMonitoringReference, featureColumns, predictionColumnOf, referenceFromArtifact, referenceFromBytes, referenceToArtifact, referenceToBytes } from './reference.js';
export { type DetectionResult, type FalseAlarmResult, type SimulationOptions, falseAlarmRate, rowsToDetectShift } from './simulate.js';
export { countInBins, histogramCounts, quantileEdges, quantileSorted, sturgesEdges } from './stats/binning.js';
export { chiSquareHomogeneity } from './stats/chi-square.js';
export { jensenShannonDistance, normalisedWasserstein, populationStabilityIndex, wassersteinDistance } from './stats/distances.js';
export { kolmogorovSf, smirnovSf } from './stats/kolmogorov.js';
export { type KsResult, ksTwoSample } from './stats/ks-two-sample.js';
export { chiSquareSf, gammaP, gammaQ, logGamma } from './stats/special.js';
