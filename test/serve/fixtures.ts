// Test fixtures for the serve layer: real pipelines fitted on slices of the shared telco churn data (a logistic
// regression on the dense chain, gradient boosting on the tree chain), records as clients send them, a project
// folder with a registry, and a small HTTP client that sends exactly the path it is given.

import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { valueAt, type Frame } from '../../src/core/frame.js';
import { readFrame } from '../../src/data/index.js';
import { Pipeline } from '../../src/features/index.js';
import { GradientBoostingClassifier } from '../../src/models/gbdt/index.js';
import { LogisticRegression } from '../../src/models/linear/index.js';
import { openRegistry, type Store } from '../../src/registry/index.js';
import { DATASETS_DIR } from '../helpers/shared.js';

export const TELCO = path.join(DATASETS_DIR, 'telco_churn');

const frames = new Map<string, Promise<Frame>>();
export function telco(split: 'train' | 'test'): Promise<Frame> {
  let f = frames.get(split);
  if (!f) frames.set(split, (f = readFrame(path.join(TELCO, `${split}.csv`))));
  return f;
}

const rowsOf = (n: number, offset = 0): number[] => Array.from({ length: n }, (_, i) => offset + i);

/** Logistic regression (dense chain: imputation, one-hot, scaling) on `rows` training rows. */
export async function linearPipeline(options: { rows?: number; offset?: number; C?: number } = {}): Promise<Pipeline> {
  const train = await telco('train');
  return Pipeline.fit(train.take(rowsOf(options.rows ?? 800, options.offset ?? 0)), {
    target: 'Churn',
    task: 'binary',
    positive: 'Yes',
    learner: new LogisticRegression({ C: options.C ?? 1 }),
  });
}

/** Gradient boosting (tree chain: native categories, gaps as NaN) on `rows` training rows. */
export async function gbdtPipeline(options: { rows?: number; rounds?: number } = {}): Promise<Pipeline> {
  const train = await telco('train');
  return Pipeline.fit(train.take(rowsOf(options.rows ?? 1200)), {
    target: 'Churn',
    task: 'binary',
    positive: 'Yes',
    chain: { kind: 'tree' },
    learner: new GradientBoostingClassifier({ rounds: options.rounds ?? 40, threads: 1 }),
  });
}

/** Rows of a frame as the JSON records a client sends (every column, null for gaps). */
export function recordsOf(frame: Frame, n: number, offset = 0): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (let i = offset; i < Math.min(frame.nRows, offset + n); i++) {
    const rec: Record<string, unknown> = {};
    for (const name of frame.names) rec[name] = valueAt(frame.column(name), i);
    out.push(rec);
  }
  return out;
}

export async function testRecords(n: number, offset = 0): Promise<Record<string, unknown>[]> {
  return recordsOf(await telco('test'), n, offset);
}

export interface TestProject {
  dir: string;
  store: Store;
  cleanup(): Promise<void>;
}

/** A fresh project folder with a SQLite registry (closed by cleanup). */
export async function project(): Promise<TestProject> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kiln-serve-test-'));
  const store = await openRegistry({ projectDir: dir, env: {} });
  return {
    dir,
    store,
    async cleanup() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

/**
 * One HTTP request to `base` (http://127.0.0.1:port) with the path sent byte for byte as given (fetch would
 * normalise "..", "%2e%2e" and the like, which is exactly what the path tests must not let it do).
 */
export function request(base: string, method: string, rawPath: string, options: { body?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path: rawPath, headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers }, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export function postJson(base: string, rawPath: string, body: unknown, headers: Record<string, string> = {}): Promise<Reply> {
  return request(base, 'POST', rawPath, { body: JSON.stringify(body), headers });
}

/** logit(p) */
export const logit = (p: number): number => Math.log(p / (1 - p));
