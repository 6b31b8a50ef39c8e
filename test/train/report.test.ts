// The training report in real Chromium: every chart of a binary and a regression run is drawn (Chart.js
// instances exist and their canvases hold pixels), the leaderboard and confusion matrix are there, nothing is
// fetched from the network; screenshots go under test-output/train/.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { train, writeTrainReport } from '../../src/train/index.js';
import { browserUnavailable, openReport, screenshot, withBrowser } from '../helpers/browser.js';
import { datasetsMissing } from '../data/helpers/datasets.js';
import { projectOf, slice } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-train-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function inspect(file: string, shot: string): Promise<Record<string, unknown>> {
  return withBrowser(async (page) => {
    const shown = await openReport(page, file);
    const state = {
      ids: shown.canvasIds,
      ...(await page.evaluate(() => ({
        boardRows: document.querySelectorAll('table.board tbody tr').length,
        finalRows: document.querySelectorAll('table.board tr.final').length,
        confusionCells: document.querySelectorAll('table.cm td').length,
      }))),
    };
    assert.deepEqual(shown.errors, []);
    assert.deepEqual(shown.external, []);
    assert.equal(shown.painted, state.ids.length, 'every canvas has pixels drawn');
    assert.equal(shown.instances, state.ids.length);
    assert.equal(shown.reported, state.ids.length);
    assert.ok(readFileSync(await screenshot(page, shot)).length > 10_000);
    return state;
  });
}

describe('the training report', { skip: datasetsMissing() ?? browserUnavailable() ?? undefined }, () => {
  test('binary: leaderboard, ROC and PR curves, confusion matrix, calibration and importance render in Chromium', async () => {
    const data = await slice('telco_churn/train.csv', 1500);
    const r = await train({ project: projectOf({ name: 'churn', target: 'Churn', positive: 'Yes', drop: ['customerID'] }), dataset: data, overrides: { trials: 4 }, store: false });
    const file = path.join(dir, 'binary.html');
    await writeTrainReport(r, file);
    const html = readFileSync(file, 'utf8');
    assert.doesNotMatch(html, /<script[^>]+src=/, 'no external scripts');
    const state = await inspect(file, 'train/report-binary.png');
    assert.deepEqual(state.ids, ['board', 'calibration', 'importance', 'pr', 'roc']);
    assert.equal(state.boardRows, r.leaderboard.length);
    assert.equal(state.finalRows, 1);
    assert.equal(state.confusionCells, 4);
  });

  test('regression: predicted-vs-actual and residual plots instead of curves', async () => {
    const data = await slice('california_housing/train.csv', 1500);
    const r = await train({ project: projectOf({ target: 'median_house_value', families: { include: ['gbdt', 'linear'] } }), dataset: data, overrides: { trials: 2 }, store: false });
    const file = path.join(dir, 'regression.html');
    await writeTrainReport(r, file);
    const state = await inspect(file, 'train/report-regression.png');
    assert.deepEqual(state.ids, ['actual', 'board', 'importance', 'residuals']);
    assert.equal(state.confusionCells, 0);
  });
});
