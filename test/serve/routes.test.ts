// The prediction server's routes over real HTTP on loopback, with real pipelines in a real registry: the v1 body
// forms (one record, rows, MLflow's dataframe_records / dataframe_split, instances), version and alias paths,
// explanations (linear and TreeSHAP add up to the log-odds), the Open Inference Protocol V2 routes, /metrics and
// /openapi.json.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pipeline } from '../../src/features/index.js';
import { startServer, type RunningServer } from '../../src/serve/index.js';
import { gbdtPipeline, linearPipeline, logit, postJson, project, request, testRecords, type TestProject } from './fixtures.js';

describe('prediction routes', () => {
  let proj: TestProject;
  let server: RunningServer;
  let linear: Pipeline;
  let gbdt: Pipeline;
  let records: Record<string, unknown>[];
  const logged: string[] = [];

  before(async () => {
    proj = await project();
    linear = await linearPipeline();
    gbdt = await gbdtPipeline();
    records = await testRecords(20);
    await proj.store.register({ name: 'churn', artifact: linear.toArtifact(), aliases: ['champion'] });
    await proj.store.register({ name: 'churn', artifact: gbdt.toArtifact(), aliases: ['challenger'] });
    server = await startServer({ projectDir: proj.dir, port: 0, env: {}, log: (level, message) => logged.push(`${level}: ${message}`) });
  });
  after(async () => {
    await server?.close();
    await proj?.cleanup();
  });

  const expected = (p: Pipeline, recs: Record<string, unknown>[]) => p.predictRecords(recs);

  test('one record: predictions, probabilities by class, model name and version, request id', async () => {
    const r = await postJson(server.url, '/v1/models/churn@champion/predict', records[0]);
    assert.equal(r.status, 200, r.text);
    const want = expected(linear, [records[0]]);
    assert.deepEqual(r.json.model, { name: 'churn', version: 1 });
    assert.deepEqual(r.json.predictions, want.predictions);
    assert.equal(r.json.probabilities[0].Yes, want.probabilities![1]);
    assert.equal(r.json.probabilities[0].No, want.probabilities![0]);
    assert.match(r.json.request_id, /^[0-9a-f-]{36}$/);
    assert.equal(r.headers['x-request-id'], r.json.request_id);
  });

  test('a client request id is kept; a malformed one is replaced', async () => {
    const kept = await postJson(server.url, '/v1/models/churn/predict', records[0], { 'x-request-id': 'order-42:a' });
    assert.equal(kept.json.request_id, 'order-42:a');
    const replaced = await postJson(server.url, '/v1/models/churn/predict', records[0], { 'x-request-id': 'bad id with spaces' });
    assert.match(replaced.json.request_id, /^[0-9a-f-]{36}$/);
  });

  test('every batch form gives the same predictions, in order', async () => {
    const batch = records.slice(0, 7);
    const want = expected(linear, batch);
    const columns = Object.keys(batch[0]);
    const bodies = [
      { rows: batch },
      { dataframe_records: batch },
      { instances: batch },
      { dataframe_split: { columns, data: batch.map((r) => columns.map((c) => r[c])) } },
    ];
    for (const body of bodies) {
      const r = await postJson(server.url, '/v1/models/churn@champion/predict', body);
      assert.equal(r.status, 200, `${Object.keys(body)[0]}: ${r.text}`);
      assert.deepEqual(r.json.predictions, want.predictions, Object.keys(body)[0]);
      assert.deepEqual(
        r.json.probabilities.map((p: Record<string, number>) => p.Yes),
        Array.from({ length: batch.length }, (_, i) => want.probabilities![2 * i + 1]),
      );
    }
  });

  test('latest, alias and version paths pick the right version', async () => {
    const latest = await postJson(server.url, '/v1/models/churn/predict', records[1]);
    const challenger = await postJson(server.url, '/v1/models/churn@challenger/predict', records[1]);
    const v1 = await postJson(server.url, '/v1/models/churn/versions/1/predict', records[1]);
    assert.equal(latest.json.model.version, 2);
    assert.equal(challenger.json.model.version, 2);
    assert.equal(v1.json.model.version, 1);
    assert.equal(challenger.json.probabilities[0].Yes, expected(gbdt, [records[1]]).probabilities![1]);
    assert.equal(v1.json.probabilities[0].Yes, expected(linear, [records[1]]).probabilities![1]);
  });

  test('unknown model, alias and version are 404s with the error shape', async () => {
    for (const p of ['/v1/models/nope/predict', '/v1/models/churn@ghost/predict', '/v1/models/churn/versions/9/predict']) {
      const r = await postJson(server.url, p, records[0]);
      assert.equal(r.status, 404, p);
      assert.equal(r.json.error.code, 'E_NOT_FOUND');
      assert.equal(typeof r.json.error.message, 'string');
      assert.equal(typeof r.json.error.request_id, 'string');
    }
  });

  test('explain=true: linear contributions (coef × (value − mean)) add up to the log-odds, per input column', async () => {
    const r = await postJson(server.url, '/v1/models/churn@champion/predict?explain=true', { rows: records.slice(0, 3) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.explanations.length, 3);
    for (let i = 0; i < 3; i++) {
      const e = r.json.explanations[i];
      assert.equal(e.method, 'linear');
      assert.match(e.output, /log-odds of "Yes"/);
      // contributions are per field the client sent (one-hot levels summed back onto their column)
      assert.ok('Contract' in e.contributions && 'tenure' in e.contributions);
      assert.ok(!Object.keys(e.contributions).some((k) => k.includes('=')));
      const total = e.base + Object.values(e.contributions as Record<string, number>).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(total - logit(r.json.probabilities[i].Yes)) < 1e-9, `row ${i}: ${total} vs ${logit(r.json.probabilities[i].Yes)}`);
    }
  });

  test('explain=true on gradient boosting: TreeSHAP values add up to the log-odds', async () => {
    const r = await postJson(server.url, '/v1/models/churn@challenger/predict?explain=1', { rows: records.slice(0, 4) });
    assert.equal(r.status, 200, r.text);
    for (let i = 0; i < 4; i++) {
      const e = r.json.explanations[i];
      assert.equal(e.method, 'tree-shap');
      const total = e.base + Object.values(e.contributions as Record<string, number>).reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(total - logit(r.json.probabilities[i].Yes)) < 1e-9, `row ${i}`);
    }
    const bad = await postJson(server.url, '/v1/models/churn/predict?explain=maybe', records[0]);
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.json.error.issues[0].path, ['explain']);
  });

  test('GET /v1/models and /v1/models/{model} describe the registry and the signature', async () => {
    const list = await request(server.url, 'GET', '/v1/models');
    assert.equal(list.status, 200);
    assert.deepEqual(list.json.models[0].aliases, { champion: 1, challenger: 2 });
    const one = await request(server.url, 'GET', '/v1/models/churn@champion');
    assert.equal(one.json.version, 1);
    const contract = one.json.signature.columns.find((c: { name: string }) => c.name === 'Contract');
    assert.deepEqual(contract.categories, ['Month-to-month', 'One year', 'Two year']);
  });

  test('Open Inference Protocol V2: health, metadata, readiness and typed-tensor inference', async () => {
    assert.deepEqual((await request(server.url, 'GET', '/v2/health/live')).json, { live: true });
    assert.deepEqual((await request(server.url, 'GET', '/v2/health/ready')).json, { ready: true });
    const meta = await request(server.url, 'GET', '/v2/models/churn');
    assert.equal(meta.status, 200);
    assert.deepEqual(meta.json.versions, ['1', '2']);
    assert.equal(meta.json.platform, 'kiln');
    assert.deepEqual(meta.json.inputs.find((i: { name: string }) => i.name === 'tenure'), { name: 'tenure', datatype: 'FP64', shape: [-1] });
    assert.deepEqual(meta.json.inputs.find((i: { name: string }) => i.name === 'Contract'), { name: 'Contract', datatype: 'BYTES', shape: [-1] });
    assert.deepEqual(meta.json.outputs, [
      { name: 'predict', datatype: 'BYTES', shape: [-1] },
      { name: 'probabilities', datatype: 'FP64', shape: [-1, 2] },
    ]);
    const ready = await request(server.url, 'GET', '/v2/models/churn/versions/1/ready');
    assert.deepEqual(ready.json, { name: 'churn', version: '1', ready: true });

    const batch = records.slice(0, 5);
    const inputs = meta.json.inputs.map((i: { name: string; datatype: string }) => ({ name: i.name, datatype: i.datatype, shape: [5], data: batch.map((r) => r[i.name]) }));
    const infer = await postJson(server.url, '/v2/models/churn/versions/1/infer', { id: 'abc', inputs });
    assert.equal(infer.status, 200, infer.text);
    const want = expected(linear, batch);
    assert.equal(infer.json.model_name, 'churn');
    assert.equal(infer.json.model_version, '1');
    assert.equal(infer.json.id, 'abc');
    const [predict, probabilities] = infer.json.outputs;
    assert.deepEqual(predict, { name: 'predict', datatype: 'BYTES', shape: [5], data: want.predictions });
    assert.deepEqual(probabilities.shape, [5, 2]);
    assert.deepEqual(probabilities.data, Array.from(want.probabilities!));
    // [n, 1] shapes and nested data are accepted; requested outputs filter the answer
    const nested = inputs.map((i: { data: unknown[] }) => ({ ...i, shape: [5, 1], data: i.data.map((v) => [v]) }));
    const only = await postJson(server.url, '/v2/models/churn@champion/infer', { inputs: nested, outputs: [{ name: 'probabilities' }] });
    assert.equal(only.status, 200, only.text);
    assert.deepEqual(only.json.outputs.map((o: { name: string }) => o.name), ['probabilities']);
    assert.deepEqual(only.json.outputs[0].data, Array.from(want.probabilities!));
  });

  test('V2 inference errors name the tensor: wrong datatype, bad shape, unknown and missing inputs, bad values', async () => {
    const meta = (await request(server.url, 'GET', '/v2/models/churn')).json;
    const batch = records.slice(0, 2);
    const inputs = meta.inputs.map((i: { name: string; datatype: string }) => ({ name: i.name, datatype: i.datatype, shape: [2], data: batch.map((r) => r[i.name]) }));
    const tenure = inputs.findIndex((i: { name: string }) => i.name === 'tenure');
    const broken = inputs.filter((i: { name: string }) => i.name !== 'gender');
    broken[tenure - 1] = { ...broken[tenure - 1], datatype: 'BYTES' };
    broken.push({ name: 'shoe_size', datatype: 'FP64', shape: [2], data: [1, 2] });
    const r = await postJson(server.url, '/v2/models/churn/infer', { inputs: broken });
    assert.equal(r.status, 400);
    const messages = r.json.error.issues.map((i: { path: unknown[]; message?: string; expected: string }) => `${i.path.join('.')} ${i.message ?? i.expected}`);
    assert.ok(messages.some((m: string) => /^inputs\.\d+\.datatype a numeric datatype/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m: string) => /unknown input "shoe_size"/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m: string) => /input "gender" is required/.test(m)), messages.join('\n'));

    const badValue = inputs.map((i: { name: string; data: unknown[] }) => (i.name === 'MonthlyCharges' ? { ...i, data: [12, 'lots'] } : i));
    const v = await postJson(server.url, '/v2/models/churn/infer', { inputs: badValue });
    assert.equal(v.status, 400);
    const monthly = inputs.findIndex((i: { name: string }) => i.name === 'MonthlyCharges');
    assert.deepEqual(v.json.error.issues[0].path, ['inputs', monthly, 'data', 1]);

    const shape = await postJson(server.url, '/v2/models/churn/infer', { inputs: inputs.map((i: object) => ({ ...i, shape: [3] })) });
    assert.equal(shape.status, 400);
    assert.match(shape.json.error.issues[0].expected, /3 values/);
  });

  test('/metrics exposes requests, latency histograms, errors and served versions per model', async () => {
    const r = await request(server.url, 'GET', '/metrics');
    assert.equal(r.status, 200);
    assert.match(String(r.headers['content-type']), /^text\/plain; version=0\.0\.4/);
    assert.match(r.text, /kiln_predict_requests_total\{model="churn",version="1",outcome="ok"\} \d+/);
    assert.match(r.text, /kiln_predict_duration_seconds_bucket\{model="churn",version="2",le="\+Inf"\} \d+/);
    assert.match(r.text, /kiln_predict_errors_total\{model="churn",code="E_VALIDATION"\} \d+/);
    assert.match(r.text, /kiln_http_requests_total\{route="\/v1\/models\/:model\/predict",method="POST",status="404"\} \d+/);
    assert.match(r.text, /kiln_model_served_version\{ref="churn@champion",model="churn"\} 1/);
    assert.match(r.text, /# TYPE kiln_http_request_duration_seconds histogram/);
  });

  test('/openapi.json documents the routes and a typed record schema per model', async () => {
    const r = await request(server.url, 'GET', '/openapi.json');
    assert.equal(r.status, 200);
    assert.equal(r.json.openapi, '3.1.0');
    for (const p of ['/v1/models/{model}/predict', '/v2/models/{model}/infer', '/metrics', '/v1/models/churn/predict']) assert.ok(r.json.paths[p], p);
    const schema = r.json.components.schemas.Record_churn;
    assert.deepEqual(schema.properties.tenure.type, ['number', 'null']);
    assert.ok(schema.required.includes('Contract'));
    assert.equal(schema.additionalProperties, false);
  });

  test('no errors were logged by the server', () => {
    assert.deepEqual(logged.filter((l) => l.startsWith('error')), []);
  });
});
