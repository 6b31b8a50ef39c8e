// kiln.yaml's monitor section: defaults, spans, and errors that name the field.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSpan, parseMonitorSettings, parseSpan } from '../../src/monitor/index.js';
import { parseProject } from '../../src/train/project/schema.js';

test('spans: 7d, 12h, 30m, 90s, 2w, 500ms, and plain numbers as seconds', () => {
  assert.equal(parseSpan('7d'), 7 * 86_400_000);
  assert.equal(parseSpan('12h'), 12 * 3_600_000);
  assert.equal(parseSpan(' 30m '), 1_800_000);
  assert.equal(parseSpan('90s'), 90_000);
  assert.equal(parseSpan('2w'), 14 * 86_400_000);
  assert.equal(parseSpan('500ms'), 500);
  assert.equal(parseSpan(60), 60_000);
  for (const bad of ['', '7', 'd', '-1h', '1y', '0s']) assert.equal(parseSpan(bad), null, bad);
  assert.equal(formatSpan(86_400_000), '1d');
  assert.equal(formatSpan(5400_000), '90m');
});

test('an absent section gives every default', () => {
  const s = parseMonitorSettings(undefined);
  assert.equal(s.since, 7 * 86_400_000);
  assert.equal(s.last, null);
  assert.equal(s.window, 'auto');
  assert.deepEqual(s.drift, { share: 0.5, threshold: 0.1, pValue: 0.05, test: null, exclude: [], minRows: 1000, alertOn: 'column' });
  assert.deepEqual(s.performance, { metrics: null, maxDrop: 0.05, minLabelled: 200 });
  assert.deepEqual(s.alerts, { webhook: null, on: ['drift', 'performance'] });
  assert.equal(s.retrain.policy, 'manual');
  assert.equal(s.retrain.minInterval, 24 * 3_600_000);
  assert.equal(s.retrain.window, 'all');
  assert.equal(s.retrain.evaluation, 0.2);
  assert.equal(s.retrain.margin, 0.005);
  assert.equal(parseMonitorSettings(null).drift.minRows, 1000);
});

test('every field is read; windows of days or rows; spans to milliseconds and seconds', () => {
  const s = parseMonitorSettings({
    since: '30d',
    window: 'day',
    drift: { share: 0.3, threshold: 0.15, p_value: 0.01, test: 'psi', exclude: ['id'], min_rows: 500, alert_on: 'dataset' },
    performance: { metrics: ['roc_auc', 'f1'], max_drop: 0.02, min_labelled: 50 },
    alerts: { webhook: 'http://127.0.0.1:9/hook', on: ['drift'] },
    retrain: { policy: 'auto', on: ['performance'], min_interval: '6h', window: '90d', evaluation: 500, margin: 0.01, include_project_data: true, time: '5m', trials: 12 },
  });
  assert.equal(s.since, 30 * 86_400_000);
  assert.equal(s.window, 'day');
  assert.deepEqual(s.drift, { share: 0.3, threshold: 0.15, pValue: 0.01, test: 'psi', exclude: ['id'], minRows: 500, alertOn: 'dataset' });
  assert.deepEqual(s.retrain, { policy: 'auto', on: ['performance'], minInterval: 6 * 3_600_000, window: { days: 90 }, evaluation: 500, margin: 0.01, includeProjectData: true, seconds: 300, trials: 12 });
  assert.deepEqual(parseMonitorSettings({ retrain: { window: 5000 } }).retrain.window, { rows: 5000 });
  assert.equal(parseMonitorSettings({ since: null }).since, null);
});

test('errors name the field, what was expected and what was found; all of them at once', () => {
  assert.throws(
    () => parseMonitorSettings({ drift: { share: 2, treshold: 0.1 }, retrain: { margin: 'big', window: 'last week', evaluation: 1.5 }, alerts: { webhook: 'ftp://x' } }, 'kiln.yaml'),
    (e: Error & { code: string; issues: { path: string[]; message: string }[] }) => {
      assert.equal(e.code, 'E_PROJECT');
      assert.match(e.message, /^kiln\.yaml is invalid: monitor\./);
      const paths = e.issues.map((i) => i.path.join('.')).sort();
      assert.deepEqual(paths, ['monitor.alerts.webhook', 'monitor.drift', 'monitor.drift.share', 'monitor.retrain.evaluation', 'monitor.retrain.margin', 'monitor.retrain.window'].sort());
      const margin = e.issues.find((i) => i.path.join('.') === 'monitor.retrain.margin')!;
      assert.equal(margin.message, 'monitor.retrain.margin: expected a number >= 0, found "big"');
      assert.match(e.issues.find((i) => i.path.join('.') === 'monitor.drift')!.message, /expected a known field, found treshold/);
      return true;
    },
  );
});

test("the project file accepts the section the monitor reads (its schema declares it loosely)", () => {
  const project = parseProject({ data: 'x.csv', monitor: { alerts: { webhook: 'http://127.0.0.1:9/h' }, drift: { threshold: 0.2, min_rows: 300 }, retrain: { policy: 'auto', margin: 0.01 } } });
  const s = parseMonitorSettings(project.monitor);
  assert.equal(s.alerts.webhook, 'http://127.0.0.1:9/h');
  assert.equal(s.drift.threshold, 0.2);
  assert.equal(s.drift.minRows, 300);
  assert.equal(s.retrain.policy, 'auto');
});
