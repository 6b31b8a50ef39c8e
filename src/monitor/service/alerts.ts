// Alerts: when a check fails, a JSON POST to the webhook kiln.yaml names (monitor.alerts.webhook). The payload
// says which model and version, which checks failed and why (the same reasons the terminal prints), the drifted
// columns with their scores, and the performance numbers — enough for a chat message or an incident without a
// second query. Delivery is tried three times (network errors and 5xx answers), each within a timeout.

import type { Json } from '../../core/artifact.js';
import type { MonitorCheck } from '../check.js';
import type { CheckName } from '../settings.js';

export interface AlertPayload {
  readonly kind: 'kiln.monitor.alert';
  readonly model: string;
  readonly version: number;
  /** ISO-8601 time of the check */
  readonly at: string;
  readonly failed: readonly CheckName[];
  readonly checks: Json;
  readonly drift: Json;
  readonly performance: Json;
  readonly current: { readonly source: string; readonly rows: number; readonly labelled: number };
  readonly check_id: number | null;
  readonly report: string | null;
}

const round = (v: number): number | null => (Number.isFinite(v) ? Number(v.toPrecision(6)) : null);

export function alertPayload(args: { model: string; version: number; at: string; check: MonitorCheck; source: string; checkId: number | null; report?: string | null; failed?: readonly CheckName[] }): AlertPayload {
  const { check } = args;
  const byName = new Map([...check.drift.columns, ...(check.prediction ? [check.prediction] : [])].map((c) => [c.column, c]));
  const metrics = Object.fromEntries(Object.entries(check.performance.metrics).map(([k, v]) => [k, round(v as number)]));
  return {
    kind: 'kiln.monitor.alert',
    model: args.model,
    version: args.version,
    at: args.at,
    failed: args.failed ?? check.failed,
    checks: { drift: { status: check.checks.drift.status, reasons: [...check.checks.drift.reasons] }, performance: { status: check.checks.performance.status, reasons: [...check.checks.performance.reasons] } },
    drift: {
      share: round(check.drift.share),
      dataset_drift: check.drift.drifted,
      columns: check.alerting.map((name) => {
        const c = byName.get(name);
        return { column: name, test: c?.test ?? null, score: round(c?.score ?? NaN), threshold: round(c?.threshold ?? NaN) };
      }),
    },
    performance: { basis: check.performance.basis, labelled: check.performance.labelled, metrics, baseline: check.performance.baseline as Json },
    current: { source: args.source, rows: check.rows, labelled: check.performance.labelled },
    check_id: args.checkId,
    report: args.report ?? null,
  };
}

export interface Delivery {
  readonly url: string;
  readonly ok: boolean;
  readonly status: number | null;
  readonly attempts: number;
  readonly error: string | null;
}

/** POST the payload; never throws (a monitor run must finish and report even when the receiver is down). */
export async function postWebhook(url: string, payload: AlertPayload, options: { timeoutMs?: number; attempts?: number; retryDelayMs?: number } = {}): Promise<Delivery> {
  const attempts = Math.max(1, options.attempts ?? 3);
  let last: { status: number | null; error: string | null } = { status: null, error: null };
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'kiln-monitor' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await response.arrayBuffer().catch(() => undefined);
      if (response.ok) return { url, ok: true, status: response.status, attempts: attempt, error: null };
      last = { status: response.status, error: `HTTP ${response.status}` };
      // a 4xx will not get better by asking again
      if (response.status < 500) break;
    } catch (e) {
      last = { status: null, error: e instanceof Error ? e.message : String(e) };
    }
    if (attempt < attempts) await new Promise((resolve) => setTimeout(resolve, (options.retryDelayMs ?? 500) * attempt));
  }
  return { url, ok: false, status: last.status, attempts, error: last.error };
}
