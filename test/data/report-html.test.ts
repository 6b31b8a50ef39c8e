// The HTML profile report in real Chromium: every chart is drawn (Chart.js instances exist and their canvases
// hold non-blank pixels), nothing is fetched from the network, and a screenshot is kept under test-output/.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { profileDataset, readDataset, writeProfileHtml } from '../../src/data/index.js';
import { browserUnavailable, screenshot, withBrowser } from '../helpers/browser.js';

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
        // any pixel that is not fully transparent means something was drawn
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
        return false;
      });
      const chart = (window as unknown as { Chart: { instances: Record<string, unknown> } }).Chart;
      return {
        canvases: canvases.length,
        painted: painted.length,
        instances: Object.keys(chart.instances).length,
        reported: (window as unknown as { kilnReport: { charts: number } }).kilnReport.charts,
        warnings: document.querySelectorAll('.warnings li').length,
        rows: document.querySelectorAll('tbody tr').length,
      };
    });
    // one chart per column, plus missing values and predictive power
    assert.equal(state.canvases, profile.columns + 2);
    assert.equal(state.instances, state.canvases);
    assert.equal(state.reported, state.canvases);
    assert.equal(state.painted, state.canvases, 'every canvas has pixels drawn');
    assert.equal(state.rows, profile.columns);
    assert.equal(state.warnings, profile.warnings.length);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')), []);
    const shot = await screenshot(page, 'data/profile-report.png');
    assert.ok(readFileSync(shot).length > 10_000);
  });
});
