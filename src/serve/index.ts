// The serve layer (step 5, deploy): the prediction server, API tokens, the prediction log, batch scoring and
// export. Node only (fastify, DuckDB, the database); the in-browser predictor is src/runtime.
//
// API overview
//   const server = await startServer({ port: 8080, host: '127.0.0.1' });   // opens .kiln/ or KILN_DATABASE_URL
//   server.url · server.close()
//     POST /v1/models/{model}/predict[?explain=true]   model = churn | churn@champion; /v1/models/{name}/versions/{n}/predict
//     POST /v1/models/{model}/feedback                 actual outcomes by request id (+ row index), for monitoring
//     GET  /v1/models · /v1/models/{model}
//     GET  /v2/health/live · /v2/health/ready · /v2/models/{model}[/ready] · POST /v2/models/{model}/infer
//     GET  /metrics · /openapi.json
//   Safety: 127.0.0.1 unless told otherwise; a non-loopback host needs API tokens (or allowAnonymous); tokens and the
//   declared body size are checked in onRequest, before the body is read; bodyLimit; requestTimeoutMs.
//   Live promotion: aliases are re-resolved when the registry revision moves (watchIntervalMs), the new version is
//   loaded before the switch, and requests in flight finish on the version they started with.
//
//   await createToken(db, { name }) → { token, info } · listTokens(db) · revokeToken(db, idOrName)
//   readPredictions(db, { model, version, since, until, requestId, limit, newest, withFeedback })   the log, oldest first
//   feedbackFromBody(body, target) / writeFeedback(db, model, items)                       labels, as the route stores them
//   tasks: [(ctx) => ({ stop })] in ServeOptions                    jobs beside the server (the monitor's schedule)
//   await scoreSource(store, 'churn@champion', 'new.csv', 'scored.csv', { chunkRows })   batch scoring, streamed
//   await exportModel(store, 'churn@champion', 'churn.kiln')                             the artifact, for kiln/runtime
//
// Tables (migrations in schema.ts, layer "serve"): predictions (key request_id, row_index), feedback (same key:
// the actual outcome of a logged row), api_tokens (sha256 hashes).
export { startServer, buildApp, isLoopback, DEFAULT_BODY_LIMIT, type BackgroundTask, type ServeOptions, type RunningServer, type ServerContext } from './server.js';
export { countLogged, feedbackFromBody, writeFeedback, MAX_FEEDBACK, type FeedbackItem, type TargetSpec } from './feedback.js';
export { createToken, listTokens, revokeToken, hashToken, envTokens, TokenVerifier, TOKEN_PREFIX, type ApiToken } from './tokens.js';
export { PredictionLog, type LoggedRequest, type PredictionLogOptions, type PredictionLogStats } from './prediction-log.js';
export { readPredictions, type LoggedPrediction, type PredictionQuery } from './prediction-query.js';
export { ServedModels, type ServedModel } from './served-models.js';
export { explainerFor, featureOrigins, type Explanation, type ExplainMethod } from './explain.js';
export { SERVE_LAYER, serveMigrations } from './schema.js';
export { scoreSource, type ScoreOptions, type ScoreResult } from './batch-score.js';
export { exportModel, type ExportResult } from './export.js';
