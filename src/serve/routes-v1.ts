// Kiln's JSON API:
//   POST /v1/models/{model}/predict                 model = churn (latest) or churn@champion
//   POST /v1/models/{name}/versions/{n}/predict
//   GET  /v1/models                                 registered models with their aliases
//   GET  /v1/models/{model}                         one version's description: signature, task, classes, metrics
// A prediction answers { request_id, model: { name, version }, predictions, probabilities?, explanations?,
// warnings? }; MLflow clients find their `predictions` key.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError, describeValue } from '../core/errors.js';
import { parseModelRef, validateModelName, validateVersion, type ModelRef, type ModelVersion } from '../registry/index.js';
import type { Explanation } from './explain.js';
import type { PipelinePrediction } from '../features/index.js';
import { predictRecords } from './predict.js';
import type { LoggedRequest } from './prediction-log.js';
import { recordsFromBody, withBodyPaths } from './request-body.js';
import type { ServedModel } from './served-models.js';
import type { ServerContext } from './server.js';

interface ModelParams {
  model: string;
}
interface VersionParams {
  name: string;
  version: string;
}

/** A model reference from a path segment: a name or name@alias, validated before anything looks it up. */
export function refFromSegment(text: string): ModelRef {
  const known = parsedRefs.get(text);
  if (known) return known;
  // a decoded %2F must not turn the segment into name/version (or anything path-like)
  if (text.includes('/') || text.includes('\\')) {
    throw new ValidationError(`model ${describeValue(text)} is not valid: it contains a path separator`, [
      { path: ['model'], expected: 'a model name, or name@alias', received: describeValue(text) },
    ]);
  }
  const ref = parseModelRef(text);
  if (parsedRefs.size >= MAX_PARSED_REFS) parsedRefs.clear();
  parsedRefs.set(text, ref);
  return ref;
}

/** valid segments seen, parsed (the same few are asked for over and over); bounded so a client cannot grow it */
const parsedRefs = new Map<string, ModelRef>();
const MAX_PARSED_REFS = 1024;

export function refFromVersionSegments(name: string, version: string): ModelRef {
  validateModelName(name);
  if (!/^[0-9]{1,15}$/.test(version)) {
    throw new ValidationError(`version ${describeValue(version)} is not a version number`, [{ path: ['version'], expected: 'an integer ≥ 1', received: describeValue(version) }]);
  }
  return { kind: 'version', name, version: validateVersion(Number(version)) };
}

/** ?explain=true|1|false|0 */
export function explainFlag(query: unknown): boolean {
  const value = (query as Record<string, unknown> | undefined)?.explain;
  if (value === undefined || value === 'false' || value === '0') return false;
  if (value === '' || value === 'true' || value === '1') return true;
  throw new ValidationError(`explain=${describeValue(value)} is not a yes/no value`, [{ path: ['explain'], expected: 'true or false', received: describeValue(value) }]);
}

/** The served model for a reference: the in-memory pointer when there is one (no await on the hot path). */
export async function servedFor(ctx: ServerContext, ref: ModelRef): Promise<ServedModel> {
  return ctx.models.peek(ref) ?? (await ctx.models.get(ref));
}

/** probabilities (nRows, k) row-major → one { class: probability } object per row */
export function probabilityObjects(probabilities: Float64Array, classes: readonly string[]): Record<string, number>[] {
  const k = classes.length;
  const n = probabilities.length / k;
  const out = new Array<Record<string, number>>(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, number> = {};
    for (let c = 0; c < k; c++) row[classes[c]] = probabilities[i * k + c];
    out[i] = row;
  }
  return out;
}

/** a number as JSON writes it (non-finite values become null) */
const jsonNumber = (v: number): string => (Number.isFinite(v) ? String(v) : 'null');

/** a class list's labels as JSON text, and as object keys ("label":), computed once per list */
const classTextCache = new WeakMap<readonly string[], { labels: string[]; keys: string[] }>();
function classTexts(classes: readonly string[]): { labels: string[]; keys: string[] } {
  let texts = classTextCache.get(classes);
  if (!texts) {
    const labels = classes.map((c) => JSON.stringify(c));
    classTextCache.set(classes, (texts = { labels, keys: labels.map((l) => `${l}:`) }));
  }
  return texts;
}

/**
 * The common answer (no explanations, no warnings) written directly: the same JSON as JSON.stringify of
 * { request_id, model: { name, version }, predictions, probabilities: [{ class: p }] }, without building the
 * objects first (the request path's last per-row allocations).
 */
export function responseText(requestId: string, served: ServedModel, result: PipelinePrediction): string {
  let out = `{"request_id":${JSON.stringify(requestId)},"model":{"name":${JSON.stringify(served.name)},"version":${served.version}},"predictions":[`;
  const n = result.predictions.length;
  const classes = result.classes;
  if (classes) {
    const { labels, keys } = classTexts(classes);
    for (let i = 0; i < n; i++) out += `${i ? ',' : ''}${labels[result.values[i]]}`;
    if (result.probabilities) {
      const k = classes.length;
      out += '],"probabilities":[';
      for (let i = 0; i < n; i++) {
        out += i ? ',{' : '{';
        for (let c = 0; c < k; c++) out += `${c ? ',' : ''}${keys[c]}${jsonNumber(result.probabilities[i * k + c])}`;
        out += '}';
      }
    }
  } else for (let i = 0; i < n; i++) out += `${i ? ',' : ''}${jsonNumber(result.values[i])}`;
  return `${out}]}`;
}

/**
 * A prediction request. With the model already in memory (every request but the first) everything runs
 * synchronously; only a first use waits for the registry.
 */
function predict(ctx: ServerContext, ref: ModelRef, request: FastifyRequest, reply: FastifyReply): unknown {
  const served = ctx.models.peek(ref);
  if (served) return answer(ctx, served, request, reply);
  return ctx.models.get(ref).then((loaded) => answer(ctx, loaded, request, reply) ?? reply);
}

function answer(ctx: ServerContext, served: ServedModel, request: FastifyRequest, reply: FastifyReply): unknown {
  const explain = explainFlag(request.query);
  try {
    const { records, prefix } = recordsFromBody(request.body);
    let outcome;
    try {
      outcome = predictRecords(served.pipeline, records, { frame: explain });
    } catch (e) {
      throw e instanceof ValidationError ? withBodyPaths(e, prefix) : e;
    }
    const { result, warnings } = outcome;
    let explanations: Explanation[] | undefined;
    if (explain && outcome.frame) explanations = served.explainer().explain(outcome.frame);
    const latencyMs = reply.elapsedTime;
    // Server-Timing (milliseconds): validation, prediction, and everything since the request arrived
    reply.header('server-timing', `validate;dur=${outcome.validateMs.toFixed(3)}, predict;dur=${outcome.predictMs.toFixed(3)}, total;dur=${latencyMs.toFixed(3)}`);
    const series = ctx.metrics.forModel(served);
    series.ok.inc();
    series.duration.observe(latencyMs / 1000);
    series.rows.inc(records.length);
    if (warnings.length) series.unseen().inc(warnings.length);
    const logged: LoggedRequest = {
      requestId: request.id,
      modelName: served.name,
      modelVersion: served.version,
      at: Date.now() - latencyMs,
      latencyMs,
      records,
      recordText: prefix === null ? request.rawBody : undefined,
      result,
      source: 'v1',
    };
    if (!explanations && !warnings.length) {
      reply.type('application/json; charset=utf-8').send(responseText(request.id, served, result));
      // logged once the answer is on its way: turning rows into log values (a batch's records into JSON) is
      // work the client need not wait for
      ctx.predictionLog?.add(logged);
      return undefined;
    }
    ctx.predictionLog?.add(logged);
    const body: Record<string, unknown> = { request_id: request.id, model: { name: served.name, version: served.version }, predictions: result.predictions };
    if (result.probabilities && result.classes) body.probabilities = probabilityObjects(result.probabilities, result.classes);
    if (explanations) body.explanations = explanations;
    if (warnings.length) body.warnings = warnings.map((w) => ({ ...w, path: prefix === null ? w.path.slice(1) : [...prefix, ...w.path] }));
    return body;
  } catch (e) {
    ctx.metrics.predictRequests.inc([served.name, String(served.version), 'error']);
    ctx.metrics.predictErrors.inc([served.name, (e as { code?: string }).code ?? 'E_INTERNAL']);
    throw e;
  }
}

function describeVersion(v: ModelVersion): Record<string, unknown> {
  const signature = v.signature as { columns?: unknown; target?: unknown } | null;
  return {
    name: v.name,
    version: v.version,
    aliases: v.aliases,
    kind: v.kind,
    sha256: v.sha256,
    created_at: v.lineage.createdAt,
    metrics: v.lineage.metrics,
    signature: signature ?? null,
  };
}

export function registerV1Routes(app: FastifyInstance, ctx: ServerContext): void {
  app.post<{ Params: ModelParams }>('/v1/models/:model/predict', (request, reply) => predict(ctx, refFromSegment(request.params.model), request, reply));
  app.post<{ Params: VersionParams }>('/v1/models/:name/versions/:version/predict', (request, reply) =>
    predict(ctx, refFromVersionSegments(request.params.name, request.params.version), request, reply),
  );
  app.get('/v1/models', async () => {
    const models = await ctx.store.listModels();
    return { models: models.map((m) => ({ name: m.name, latest_version: m.latestVersion, versions: m.versionCount, aliases: m.aliases, updated_at: m.updatedAt })) };
  });
  app.get<{ Params: ModelParams }>('/v1/models/:model', async (request) => describeVersion(await ctx.store.resolve(refFromSegment(request.params.model))));
  app.get<{ Params: VersionParams }>('/v1/models/:name/versions/:version', async (request) =>
    describeVersion(await ctx.store.resolve(refFromVersionSegments(request.params.name, request.params.version))),
  );
}
