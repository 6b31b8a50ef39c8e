// The monitor service (Node): what turns the pure checks of src/monitor into a watch over a served model —
// the project database's monitor tables, current data from the prediction log with its feedback labels,
// references stored per version, webhook alerts, the HTML report, the schedule inside the server, and
// retrain-and-promote.
//
//   const monitorStore = await MonitorStore.open({ db });                   // monitor_* tables (layer "monitor")
//   const run = await runMonitor({ db, store, monitorStore, ref: 'churn@champion', settings, project });
//     run.check.failed → ['drift'] …; run.delivery: the webhook POST, when one was configured and a check failed
//   await writeMonitorReport(run, 'monitor.html', { history });             // one self-contained page (Chart.js inlined)
//   formatMonitorRun(run) → the terminal summary
//   await saveMonitoringReference({ projectDir }, 'churn', 3, trainingFrame, pipeline)   // at registration
//   const decision = await retrain({ name: 'churn', project, db, store, monitorStore, data: 'new.csv' });
//   startServer({ tasks: [serverMonitor({ everyMs, settings, project, retrain })] })   // kiln serve --monitor-every 1h
export { MonitorStore, MONITOR_LAYER, monitorMigrations, type CheckRecord, type DecisionRecord } from './store.js';
export { type CurrentData, type LogWindow, currentFromFile, currentFromLog, describeWindow, encodeLabels, importLabels } from './current-data.js';
export { type ReferenceChoice, type ResolvedReference, referenceFor, saveMonitoringReference } from './reference-source.js';
export { type AlertPayload, type Delivery, alertPayload, postWebhook } from './alerts.js';
export { type MonitorRun, type MonitorRunOptions, baselineOf, checkSummary, loadVersion, primaryMetric, runMonitor } from './monitor.js';
export { formatMonitorRun } from './format-text.js';
export { renderMonitorHtml, renderMonitorReport, writeMonitorReport } from '../report/report-html.js';
export { type ReportData, reportData } from '../report/report-data.js';
export { type RetrainOptions, type RetrainResult, type RetrainTrigger, cutRows, decide, retrain, retrainAllowed } from './retrain.js';
export { type Schedule, type ServerMonitorOptions, serverMonitor, startSchedule } from './schedule.js';
