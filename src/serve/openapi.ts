// The OpenAPI 3.1 document of the server: every route, the error shape, and for each registered model a record
// schema built from its signature (so a client generator gets typed fields) with its own predict path.

import { KILN_VERSION } from '../core/version.js';
import type { SignatureColumn } from '../features/index.js';
import type { ModelVersion } from '../registry/index.js';

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema, description: string): Schema => ({ description, content: { 'application/json': { schema } } });

const ERRORS = {
  '400': json(ref('Error'), 'invalid input: every bad field is listed in error.issues'),
  '401': json(ref('Error'), 'missing or invalid API token'),
  '404': json(ref('Error'), 'unknown model, version or alias'),
  '413': json(ref('Error'), 'request body too large'),
  '500': json(ref('Error'), 'internal error (details only in the server log)'),
};

function columnSchema(c: SignatureColumn): Schema {
  switch (c.type) {
    case 'number':
      return { type: ['number', 'null'] };
    case 'category':
      return {
        type: ['string', 'number', 'boolean', 'null'],
        ...(c.categories ? { examples: c.categories.slice(0, 20), description: `seen in training: ${c.categories.slice(0, 20).join(', ')}${c.categories.length > 20 ? ', …' : ''}; other labels are accepted and treated as unknown` } : {}),
      };
    case 'datetime':
      return { type: ['string', 'number', 'null'], description: 'ISO 8601 (no zone means UTC) or epoch milliseconds' };
    case 'text':
      return { type: ['string', 'null'] };
  }
}

function recordSchema(columns: readonly SignatureColumn[]): Schema {
  const properties: Record<string, Schema> = {};
  for (const c of columns) properties[c.name] = { ...columnSchema(c), ...(c.role !== 'feature' ? { description: `${c.role}: accepted and not used` } : {}) };
  return { type: 'object', properties, required: columns.filter((c) => c.required).map((c) => c.name), additionalProperties: false };
}

function bodySchema(record: Schema): Schema {
  return {
    oneOf: [
      record,
      { type: 'object', properties: { rows: { type: 'array', items: record, minItems: 1 } }, required: ['rows'], additionalProperties: false },
      { type: 'object', properties: { dataframe_records: { type: 'array', items: record, minItems: 1 } }, required: ['dataframe_records'], additionalProperties: false },
      { type: 'object', properties: { instances: { type: 'array', items: record, minItems: 1 } }, required: ['instances'], additionalProperties: false },
      {
        type: 'object',
        properties: { dataframe_split: { type: 'object', properties: { columns: { type: 'array', items: { type: 'string' } }, data: { type: 'array', items: { type: 'array' } } }, required: ['columns', 'data'] } },
        required: ['dataframe_split'],
      },
    ],
  };
}

const explainParam = { name: 'explain', in: 'query', required: false, schema: { type: 'boolean' }, description: 'add per-feature contributions (linear: coef × (value − mean); trees: TreeSHAP)' };
const modelParam = { name: 'model', in: 'path', required: true, schema: { type: 'string', maxLength: 164 }, description: 'a model name (latest version) or name@alias' };
const nameParam = { name: 'name', in: 'path', required: true, schema: { type: 'string', maxLength: 100 } };
const versionParam = { name: 'version', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };

function predictOperation(summary: string, record: Schema, parameters: Schema[]): Schema {
  return {
    post: {
      summary,
      parameters: [...parameters, explainParam],
      requestBody: { required: true, content: { 'application/json': { schema: bodySchema(record) } } },
      responses: { '200': json(ref('PredictResponse'), 'predictions, in the order of the records'), ...ERRORS },
    },
  };
}

export function openApiDocument(models: readonly ModelVersion[]): Schema {
  const anyRecord: Schema = { type: 'object', description: 'one value per input column (GET /v1/models/{model} lists them)', additionalProperties: true };
  const paths: Record<string, Schema> = {
    '/v1/models': { get: { summary: 'registered models and their aliases', responses: { '200': json({ type: 'object' }, 'the models'), ...ERRORS } } },
    '/v1/models/{model}': { get: { summary: "a version's description: signature, task, classes, metrics", parameters: [modelParam], responses: { '200': json({ type: 'object' }, 'the version'), ...ERRORS } } },
    '/v1/models/{model}/predict': predictOperation('predict with the latest version or an alias', anyRecord, [modelParam]),
    '/v1/models/{name}/versions/{version}/predict': predictOperation('predict with one version', anyRecord, [nameParam, versionParam]),
    '/v1/models/{model}/feedback': {
      post: {
        summary: 'the actual outcome of earlier predictions, by request id (and row index), for monitoring',
        parameters: [modelParam],
        requestBody: { required: true, content: { 'application/json': { schema: ref('FeedbackRequest') } } },
        responses: { '200': json({ type: 'object', properties: { model: { type: 'string' }, accepted: { type: 'integer' }, logged: { type: 'integer' }, unlogged: { type: 'integer' } } }, 'labels stored; logged counts those whose prediction is in the log'), ...ERRORS },
      },
    },
    '/v2/health/live': { get: { summary: 'Open Inference Protocol: liveness (no token needed)', responses: { '200': json({ type: 'object' }, 'live') } } },
    '/v2/health/ready': { get: { summary: 'Open Inference Protocol: readiness (no token needed)', responses: { '200': json({ type: 'object' }, 'ready'), '503': json({ type: 'object' }, 'not ready') } } },
    '/v2/models/{model}': { get: { summary: 'Open Inference Protocol: model metadata (one input tensor per column)', parameters: [modelParam], responses: { '200': json({ type: 'object' }, 'metadata'), ...ERRORS } } },
    '/v2/models/{model}/ready': { get: { summary: 'Open Inference Protocol: model readiness', parameters: [modelParam], responses: { '200': json({ type: 'object' }, 'ready'), ...ERRORS } } },
    '/v2/models/{model}/infer': {
      post: {
        summary: 'Open Inference Protocol: inference with one typed tensor per column',
        parameters: [modelParam],
        requestBody: { required: true, content: { 'application/json': { schema: ref('InferRequest') } } },
        responses: { '200': json({ type: 'object' }, 'outputs "predict" and "probabilities"'), ...ERRORS },
      },
    },
    '/metrics': { get: { summary: 'Prometheus metrics', responses: { '200': { description: 'text exposition format', content: { 'text/plain': {} } } } } },
    '/openapi.json': { get: { summary: 'this document', responses: { '200': json({ type: 'object' }, 'OpenAPI 3.1') } } },
  };
  const schemas: Record<string, Schema> = {
    Error: {
      type: 'object',
      properties: {
        error: {
          type: 'object',
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            hint: { type: 'string' },
            request_id: { type: 'string' },
            issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'array', items: { type: ['string', 'integer'] } }, expected: { type: 'string' }, received: { type: 'string' }, message: { type: 'string' } } } },
          },
          required: ['code', 'message'],
        },
      },
    },
    PredictResponse: {
      type: 'object',
      properties: {
        request_id: { type: 'string' },
        model: { type: 'object', properties: { name: { type: 'string' }, version: { type: 'integer' } } },
        predictions: { type: 'array', items: { type: ['string', 'number'] } },
        probabilities: { type: 'array', items: { type: 'object', additionalProperties: { type: 'number' } } },
        explanations: { type: 'array', items: { type: 'object' } },
        warnings: { type: 'array', items: { type: 'object' } },
      },
      required: ['request_id', 'model', 'predictions'],
    },
    FeedbackRequest: {
      oneOf: [
        ref('FeedbackItem'),
        { type: 'object', properties: { feedback: { type: 'array', items: ref('FeedbackItem'), minItems: 1, maxItems: 10000 } }, required: ['feedback'], additionalProperties: false },
      ],
    },
    FeedbackItem: {
      type: 'object',
      properties: {
        request_id: { type: 'string', description: 'the request_id a prediction answered with' },
        row_index: { type: 'integer', minimum: 0, default: 0, description: "the record's position in its request" },
        actual: { type: ['string', 'number', 'boolean'], description: 'the actual class label, or value for a regressor' },
      },
      required: ['request_id', 'actual'],
      additionalProperties: false,
    },
    InferRequest: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        inputs: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' }, shape: { type: 'array', items: { type: 'integer' } }, datatype: { type: 'string' }, data: { type: 'array' } }, required: ['name', 'shape', 'datatype', 'data'] } },
        outputs: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
      },
      required: ['inputs'],
    },
  };
  for (const m of models) {
    const columns = (m.signature as { columns?: SignatureColumn[] } | null)?.columns;
    if (!Array.isArray(columns)) continue;
    const schemaName = `Record_${m.name.replace(/[^A-Za-z0-9_.-]/g, '_')}`;
    schemas[schemaName] = recordSchema(columns);
    paths[`/v1/models/${m.name}/predict`] = predictOperation(`predict with ${m.name} (latest version; ${m.name}@alias also works)`, ref(schemaName), []);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Kiln prediction API', version: KILN_VERSION },
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
