// The training report in real Chromium: every chart of a binary and a regression run is drawn (Chart.js
// instances exist and their canvases hold pixels), the leaderboard and confusion matrix are there, nothing is
// fetched from the network; screenshots go under test-output/train/.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { train, writeTrainReport } from '../../src/train/index.js';
import { browserUnavailable, screenshot, withBrowser } from '../helpers/browser.js';
import { datasetsMissing } from '../data/helpers/datasets.js';
import { projectOf, slice } from './helpers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-train-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function inspect(file: string, shot: string): Promise<Record<string, unknown>> {
  return withBrowser(async (page) => {
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(file).href);
    await page.waitForFunction(() => (window as unknown as { kilnReport?: { ready: boolean } }).kilnReport?.ready === true, undefined, { timeout: 30_000 });
    const state = await page.evaluate(() => {
      const canvases = Array.from(document.querySelectorAll('canvas'));
      const painted = canvases.filter((c) => {
        const ctx = c.getContext('2d');
        if (!ctx || c.width === 0 || c.height === 0) return false;
        const pixels = ctx.getImageData(0, 0, c.width, c.height).data;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
        return false;
      });
      return {
        ids: canvases.map((c) => c.id).sort(),
        painted: painted.length,
        instances: Object.keys((window as unknown as { Chart: { instances: Record<string, unknown> } }).Chart.instances).length,
        reported: (window as unknown as { kilnReport: { charts: number } }).kilnReport.charts,
        boardRows: document.querySelectorAll('table.board tbody tr').length,
        finalRows: document.querySelectorAll('table.board tr.final').length,
        confusionCells: document.querySelectorAll('table.cm td').length,
      };
    });
    assert.deepEqual(errors, []);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), []);
    assert.equal(state.painted, state.ids.length, 'every canvas has pixels drawn');
    assert.equal(state.instances, state.ids.length);
    assert.equal(state.reported, state.ids.length);
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
