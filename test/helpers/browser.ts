// Real Chromium for tests: Debian's /usr/bin/chromium driven by playwright-core, headless, with a fresh
// temporary profile and no background traffic. Tests that need a browser call withBrowser() and get a page;
// the browser and its profile are removed afterwards. Screenshots go under test-output/.
//
//   await withBrowser(async (page) => { await page.goto(url); ... await screenshot(page, 'data/report.png'); });

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** The flags every test browser runs with (headless, no sandbox in containers, nothing phoning home). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** test-output/ at the repository root (git-ignored). */
export const TEST_OUTPUT = fileURLToPath(new URL('../../test-output/', import.meta.url));

/** Why a browser test cannot run here, or null. Under CI=true a missing browser is a failure, not a skip. */
export function browserUnavailable(): string | null {
  if (existsSync(CHROMIUM)) return null;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing (CI=true): install the Debian package chromium`);
  return `${CHROMIUM} is not installed`;
}

/** Launch Chromium with a fresh profile, run `work` with a new page, and clean everything up. */
export async function withBrowser<T>(work: (page: Page, context: BrowserContext) => Promise<T>, options: { viewport?: { width: number; height: number } } = {}): Promise<T> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'kiln-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    return await work(page, context);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** Save a full-page screenshot under test-output/<relative> and return its path. */
export async function screenshot(page: Page, relative: string): Promise<string> {
  const file = path.join(TEST_OUTPUT, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** What a Kiln HTML report showed once its charts said they were ready. */
export interface RenderedReport {
  /** requests to anything but the file itself and data: URLs (a self-contained report makes none) */
  readonly external: string[];
  /** uncaught errors in the page */
  readonly errors: string[];
  /** canvas ids, sorted */
  readonly canvasIds: string[];
  /** canvases with at least one pixel drawn */
  readonly painted: number;
  /** Chart.js instances alive */
  readonly instances: number;
  /** charts the report says it drew (window.kilnReport.charts) */
  readonly reported: number;
}

/** Open a report file in the page, wait until it says its charts are drawn, and read what was rendered. */
export async function openReport(page: Page, file: string): Promise<RenderedReport> {
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
      canvasIds: canvases.map((c) => c.id).sort(),
      painted: painted.length,
      instances: Object.keys(chart.instances).length,
      reported: (window as unknown as { kilnReport: { charts: number } }).kilnReport.charts,
    };
  });
  return { ...state, errors, external: requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:')) };
}
