// The Open Inference Protocol (V2, as KServe, Seldon and Triton speak it) over HTTP/JSON:
//   GET  /v2/health/live · /v2/health/ready · /v2
//   GET  /v2/models/{model}[/versions/{n}]            metadata: inputs (one tensor per column), outputs
//   GET  /v2/models/{model}[/versions/{n}]/ready
//   POST /v2/models/{model}[/versions/{n}]/infer      inputs: [{ name, shape: [n] or [n, 1], datatype, data }]
// Outputs: "predict" (BYTES class labels, or FP64 values) and, for classifiers, "probabilities" (FP64, [n, k]).

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ValidationError, describeValue, type Issue } from '../core/errors.js';
import { KILN_VERSION } from '../core/version.js';
import type { Signature, SignatureType } from '../features/index.js';
import type { ModelRef } from '../registry/index.js';
import { predictRecords } from './predict.js';
import { refFromSegment, refFromVersionSegments, servedFor } from './routes-v1.js';
import type { ServerContext } from './server.js';

type Datatype = 'BOOL' | 'UINT8' | 'UINT16' | 'UINT32' | 'UINT64' | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FP16' | 'FP32' | 'FP64' | 'BYTES';
const NUMERIC = new Set<string>(['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64']);
const DATATYPES = new Set<string>([...NUMERIC, 'BYTES']);

/** the tensor type each signature type travels as (datetimes: ISO text; epoch ms as INT64/FP64 works too) */
const TENSOR_TYPE: Record<SignatureType, Datatype> = { number: 'FP64', category: 'BYTES', text: 'BYTES', datetime: 'BYTES' };

interface TensorInput {
  name?: unknown;
  shape?: unknown;
  datatype?: unknown;
  data?: unknown;
}

interface InferBody {
  id?: unknown;
  inputs?: unknown;
  outputs?: unknown;
}

function problem(message: string, issues: Issue[]): ValidationError {
  return new ValidationError(message, issues, { hint: 'GET /v2/models/{model} lists the input tensors: one per column, shape [n] or [n, 1]' });
}

/** Flatten a [n] or [n, 1] tensor's data (given flat or nested one level). */
function flatData(data: unknown[], n: number): unknown[] | null {
  if (data.length === n && !data.some(Array.isArray)) return data;
  if (data.length === n && data.every((d) => Array.isArray(d) && d.length === 1)) return data.map((d) => (d as unknown[])[0]);
  return null;
}

/** Column tensors → records, checking names, shapes and datatypes against the signature first. */
export function tensorsToRecords(signature: Signature, body: unknown): { records: Record<string, unknown>[]; inputIndex: Map<string, number> } {
  const b = body as InferBody | null;
  if (typeof b !== 'object' || b === null || !Array.isArray(b.inputs) || b.inputs.length === 0)
    throw problem('the body must be { "inputs": [ { "name", "shape", "datatype", "data" }, ... ] }', [{ path: ['inputs'], expected: 'a non-empty list of tensors', received: describeValue(b?.inputs) }]);
  const columns = new Map(signature.columns.map((c) => [c.name, c]));
  const issues: Issue[] = [];
  const tensors: { name: string; data: unknown[] }[] = [];
  const inputIndex = new Map<string, number>();
  let n = -1;
  (b.inputs as TensorInput[]).forEach((t, j) => {
    const at = (...rest: (string | number)[]) => ['inputs', j, ...rest];
    if (typeof t !== 'object' || t === null) return issues.push({ path: at(), expected: 'a tensor object', received: describeValue(t) });
    const name = t.name;
    if (typeof name !== 'string') return issues.push({ path: at('name'), expected: 'a column name', received: describeValue(name) });
    const column = columns.get(name);
    if (!column) return issues.push({ path: at('name'), expected: 'a known column', received: JSON.stringify(name), message: `unknown input "${name}"` });
    if (inputIndex.has(name)) return issues.push({ path: at('name'), expected: 'each input once', received: JSON.stringify(name), message: `input "${name}" appears twice` });
    inputIndex.set(name, j);
    if (typeof t.datatype !== 'string' || !DATATYPES.has(t.datatype)) return issues.push({ path: at('datatype'), expected: 'an Open Inference Protocol datatype (FP64, INT64, BYTES …)', received: describeValue(t.datatype) });
    if (column.type === 'number' && !NUMERIC.has(t.datatype)) issues.push({ path: at('datatype'), expected: 'a numeric datatype (FP64, FP32, INT64 …)', received: t.datatype });
    const shape = t.shape;
    if (!Array.isArray(shape) || !(shape.length === 1 || (shape.length === 2 && shape[1] === 1)) || !Number.isSafeInteger(shape[0]) || (shape[0] as number) < 1)
      return issues.push({ path: at('shape'), expected: '[n] or [n, 1] with n ≥ 1', received: Array.isArray(shape) ? JSON.stringify(shape) : describeValue(shape) });
    if (n >= 0 && shape[0] !== n) return issues.push({ path: at('shape'), expected: `[${n}] like the other inputs`, received: JSON.stringify(shape) });
    n = shape[0] as number;
    const data = Array.isArray(t.data) ? flatData(t.data, n) : null;
    if (!data) return issues.push({ path: at('data'), expected: `${n} values`, received: Array.isArray(t.data) ? `${t.data.length} values` : describeValue(t.data) });
    tensors.push({ name, data });
  });
  for (const c of signature.columns)
    if (c.required && !inputIndex.has(c.name)) issues.push({ path: ['inputs'], expected: `an input named "${c.name}" (${TENSOR_TYPE[c.type]})`, received: 'nothing', message: `input "${c.name}" is required` });
  if (issues.length) throw problem(`invalid inference request at ${issues[0].path.join('.')}: ${issues[0].message ?? `expected ${issues[0].expected}, got ${issues[0].received}`}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''}`, issues);
  const records = new Array<Record<string, unknown>>(n);
  for (let i = 0; i < n; i++) {
    const rec: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    for (const t of tensors) rec[t.name] = t.data[i];
    records[i] = rec;
  }
  return { records, inputIndex };
}

function metadata(name: string, versions: string[], signature: Signature | null): Record<string, unknown> {
  const columns = signature?.columns.filter((c) => c.role === 'feature') ?? [];
  const target = signature?.target;
  const outputs: Record<string, unknown>[] = [{ name: 'predict', datatype: target && target.task !== 'regression' ? 'BYTES' : 'FP64', shape: [-1] }];
  if (target && target.task !== 'regression') outputs.push({ name: 'probabilities', datatype: 'FP64', shape: [-1, target.classes?.length ?? -1] });
  return {
    name,
    versions,
    platform: 'kiln',
    inputs: columns.map((c) => ({ name: c.name, datatype: TENSOR_TYPE[c.type], shape: [-1] })),
    outputs,
  };
}

export function registerV2Routes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/v2', async () => ({ name: 'kiln', version: KILN_VERSION, extensions: [] }));
  app.get('/v2/health/live', async () => ({ live: true }));
  app.get('/v2/health/ready', async (_request, reply) => {
    let ready = ctx.ready;
    if (ready) ready = await ctx.store.revision().then(() => true, () => false);
    return reply.code(ready ? 200 : 503).send({ ready });
  });

  const describe = async (ref: ModelRef): Promise<unknown> => {
    const meta = await ctx.store.resolve(ref);
    const versions = (await ctx.store.listVersions(meta.name)).map((v) => String(v.version)).reverse();
    return metadata(meta.name, versions, meta.signature as unknown as Signature | null);
  };
  const ready = async (ref: ModelRef): Promise<unknown> => {
    const served = await servedFor(ctx, ref);
    return { name: served.name, version: String(served.version), ready: true };
  };
  const infer = async (ref: ModelRef, request: FastifyRequest, reply: FastifyReply): Promise<unknown> => {
    const served = await servedFor(ctx, ref);
    const labels = [served.name, String(served.version)];
    try {
      const { records, inputIndex } = tensorsToRecords(served.pipeline.signature, request.body);
      let outcome;
      try {
        outcome = predictRecords(served.pipeline, records);
      } catch (e) {
        if (!(e instanceof ValidationError)) throw e;
        // [record, column] → the tensor's own coordinates: ['inputs', j, 'data', record]
        const issues = e.issues.map((issue) => {
          const [i, column] = issue.path;
          const j = inputIndex.get(String(column));
          return { ...issue, path: j === undefined ? ['inputs', ...issue.path] : ['inputs', j, 'data', i] };
        });
        throw problem(`invalid inference request at ${issues[0].path.join('.')}: ${issues[0].message ?? `expected ${issues[0].expected}, got ${issues[0].received}`}`, issues);
      }
      const { result } = outcome;
      const n = records.length;
      const classification = result.task !== 'regression';
      const outputs: Record<string, unknown>[] = [{ name: 'predict', datatype: classification ? 'BYTES' : 'FP64', shape: [n], data: result.predictions }];
      if (result.probabilities && result.classes)
        outputs.push({ name: 'probabilities', datatype: 'FP64', shape: [n, result.classes.length], data: Array.from(result.probabilities), parameters: { classes: result.classes.join(',') } });
      const wanted = (request.body as InferBody).outputs;
      const names = Array.isArray(wanted) ? new Set(wanted.map((o) => (o as { name?: unknown })?.name)) : null;
      const latencyMs = reply.elapsedTime;
      ctx.metrics.predictRequests.inc([...labels, 'ok']);
      ctx.metrics.predictDuration.observe(labels, latencyMs / 1000);
      ctx.metrics.predictRows.inc(labels, n);
      ctx.predictionLog?.add({ requestId: request.id, modelName: served.name, modelVersion: served.version, at: Date.now() - latencyMs, latencyMs, records, result, source: 'v2' });
      const id = (request.body as InferBody).id;
      return { model_name: served.name, model_version: String(served.version), id: typeof id === 'string' ? id : request.id, outputs: names ? outputs.filter((o) => names.has(o.name)) : outputs };
    } catch (e) {
      ctx.metrics.predictRequests.inc([...labels, 'error']);
      ctx.metrics.predictErrors.inc([served.name, (e as { code?: string }).code ?? 'E_INTERNAL']);
      throw e;
    }
  };

  type M = { Params: { model: string } };
  type V = { Params: { name: string; version: string } };
  app.get<M>('/v2/models/:model', (request) => describe(refFromSegment(request.params.model)));
  app.get<V>('/v2/models/:name/versions/:version', (request) => describe(refFromVersionSegments(request.params.name, request.params.version)));
  app.get<M>('/v2/models/:model/ready', (request) => ready(refFromSegment(request.params.model)));
  app.get<V>('/v2/models/:name/versions/:version/ready', (request) => ready(refFromVersionSegments(request.params.name, request.params.version)));
  app.post<M>('/v2/models/:model/infer', (request, reply) => infer(refFromSegment(request.params.model), request, reply));
  app.post<V>('/v2/models/:name/versions/:version/infer', (request, reply) => infer(refFromVersionSegments(request.params.name, request.params.version), request, reply));
}
