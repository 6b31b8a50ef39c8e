// The series GET /metrics exposes: HTTP requests and latency per route, predictions per model and version
// (requests, rows, latency, errors by code), feedback labels, the prediction log's queue, and which version each
// alias serves.

import { Counter, Gauge, Histogram, LATENCY_BUCKETS, MetricsRegistry } from './metrics.js';
import type { PredictionLog } from './prediction-log.js';
import type { ServedModels } from './served-models.js';

/** The series one served model version counts into on every successful request, resolved once. */
export interface ModelSeries {
  readonly ok: { inc(by?: number): void };
  readonly duration: { observe(seconds: number): void };
  readonly rows: { inc(by?: number): void };
  /** resolved on first use: most models never see an unseen label, and an empty series would still be listed */
  unseen(): { inc(by?: number): void };
}

export class ServeMetrics {
  private readonly perModel = new WeakMap<object, ModelSeries>();

  readonly registry = new MetricsRegistry();
  readonly httpRequests = this.registry.add(new Counter('kiln_http_requests_total', 'HTTP requests answered, by route template, method and status', ['route', 'method', 'status']));
  readonly httpDuration = this.registry.add(new Histogram('kiln_http_request_duration_seconds', 'time from request to response, by route template', ['route'], LATENCY_BUCKETS));
  readonly predictRequests = this.registry.add(new Counter('kiln_predict_requests_total', 'prediction requests, by model, version and outcome (ok or error)', ['model', 'version', 'outcome']));
  readonly predictDuration = this.registry.add(new Histogram('kiln_predict_duration_seconds', 'server-side time of a prediction request, by model and version', ['model', 'version'], LATENCY_BUCKETS));
  readonly predictRows = this.registry.add(new Counter('kiln_predict_rows_total', 'records predicted, by model and version', ['model', 'version']));
  readonly predictErrors = this.registry.add(new Counter('kiln_predict_errors_total', 'failed prediction requests, by model and error code', ['model', 'code']));
  readonly unseenCategories = this.registry.add(new Counter('kiln_unseen_categories_total', 'category labels not seen in training, by model and version', ['model', 'version']));
  readonly feedbackRows = this.registry.add(new Counter('kiln_feedback_rows_total', 'labels received as feedback, by model', ['model']));

  /** The series of a served model (keyed by its object: a reloaded version gets its own entry, same series). */
  forModel(served: { readonly name: string; readonly version: number }): ModelSeries {
    let series = this.perModel.get(served);
    if (!series) {
      const labels = [served.name, String(served.version)];
      let unseen: { inc(by?: number): void } | undefined;
      series = {
        ok: this.predictRequests.child([...labels, 'ok']),
        duration: this.predictDuration.child(labels),
        rows: this.predictRows.child(labels),
        unseen: () => (unseen ??= this.unseenCategories.child(labels)),
      };
      this.perModel.set(served, series);
    }
    return series;
  }

  constructor(models: ServedModels, log: PredictionLog | null) {
    this.registry.add(
      new Gauge('kiln_model_served_version', 'the version each followed alias (or latest) serves', ['ref', 'model'], () =>
        models.pointerVersions().map((p) => ({ values: [p.ref, p.name], value: p.version })),
      ),
    );
    if (log) {
      const stat = (key: 'written' | 'dropped' | 'pending' | 'failures') => () => [{ values: [], value: log.getStats()[key] }];
      this.registry.add(new Gauge('kiln_prediction_log_written', 'prediction rows written to the log since start', [], stat('written')));
      this.registry.add(new Gauge('kiln_prediction_log_dropped', 'prediction rows dropped because the log queue was full', [], stat('dropped')));
      this.registry.add(new Gauge('kiln_prediction_log_pending', 'prediction rows waiting to be written', [], stat('pending')));
      this.registry.add(new Gauge('kiln_prediction_log_failures', 'failed writes of the prediction log (retried)', [], stat('failures')));
    }
  }
}
