// Test helpers for the monitor: a loopback webhook receiver and a replay of records through the prediction API.

import assert from 'node:assert/strict';
import http from 'node:http';
import { postJson } from '../serve/fixtures.js';

/** A loopback HTTP server that keeps every JSON body POSTed to it. */
export async function webhookReceiver(): Promise<{ url: string; bodies: unknown[]; close(): Promise<void> }> {
  const bodies: unknown[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      bodies.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/hook`, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** POST records in batches; returns [request id, row index, record] per row. */
export async function replay(url: string, model: string, records: Record<string, unknown>[], batch = 100): Promise<{ requestId: string; rowIndex: number; record: Record<string, unknown> }[]> {
  const out: { requestId: string; rowIndex: number; record: Record<string, unknown> }[] = [];
  for (let i = 0; i < records.length; i += batch) {
    const rows = records.slice(i, i + batch);
    const r = await postJson(url, `/v1/models/${model}/predict`, { rows });
    assert.equal(r.status, 200, r.text);
    rows.forEach((record, k) => out.push({ requestId: r.json.request_id, rowIndex: k, record }));
  }
  return out;
}
