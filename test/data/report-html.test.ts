// The HTML profile report in real Chromium: every chart is drawn (Chart.js instances exist and their canvases
// hold non-blank pixels), nothing is fetched from the network, and a screenshot is kept under test-output/.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { profileDataset, readDataset, writeProfileHtml } from '../../src/data/index.js';
import { browserUnavailable, openReport, screenshot, withBrowser } from '../helpers/browser.js';

const CHURN = path.resolve(import.meta.dirname, '../../examples/churn/telco-churn.csv');
const dir = mkdtempSync(path.join(os.tmpdir(), 'kiln-report-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the profile report renders its charts in Chromium, offline', { skip: browserUnavailable() ?? undefined }, async () => {
  const profile = profileDataset(await readDataset(CHURN), { target: 'Churn' });
  const file = path.join(dir, 'report.html');
  await writeProfileHtml(profile, file);
  const html = readFileSync(file, 'utf8');
  assert.doesNotMatch(html, /<script[^>]+src=/, 'no external scripts');
  assert.doesNotMatch(html, /https?:\/\/(?!www\.w3\.org)[^"'\s)]*\.(js|css)/, 'no CDN links');

  await withBrowser(async (page) => {
    const shown = await openReport(page, file);
    const state = {
      canvases: shown.canvasIds.length,
      painted: shown.painted,
      instances: shown.instances,
      reported: shown.reported,
      ...(await page.evaluate(() => ({ warnings: document.querySelectorAll('.warnings li').length, rows: document.querySelectorAll('tbody tr').length }))),
    };
    const { errors, external } = shown;
    // one chart per column, plus missing values and predictive power
    assert.equal(state.canvases, profile.columns + 2);
    assert.equal(state.instances, state.canvases);
    assert.equal(state.reported, state.canvases);
    assert.equal(state.painted, state.canvases, 'every canvas has pixels drawn');
    assert.equal(state.rows, profile.columns);
    assert.equal(state.warnings, profile.warnings.length);
    assert.deepEqual(errors, []);
    assert.deepEqual(external, []);
    const shot = await screenshot(page, 'data/profile-report.png');
    assert.ok(readFileSync(shot).length > 10_000);
  });
});
