// The prediction server: a fastify app with Kiln's edge (body limit and API token checked in onRequest, before
// the body is read; request ids; timeouts; one error shape) and the route groups (v1 JSON API, Open Inference
// Protocol V2, health, metrics, OpenAPI). startServer opens the registry and the database it needs.

import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { migrate, openDb, type Db } from '../core/db/index.js';
import { KilnError, isKilnError } from '../core/errors.js';
import { openRegistry, type Store } from '../registry/index.js';
import { PredictionLog, type PredictionLogOptions } from './prediction-log.js';
import { uuidv7 } from './request-id.js';
import { registerFeedbackRoutes } from './routes-feedback.js';
import { registerOpsRoutes } from './routes-ops.js';
import { registerV1Routes } from './routes-v1.js';
import { registerV2Routes } from './routes-v2.js';
import { SERVE_LAYER, serveMigrations } from './schema.js';
import { ServeMetrics } from './server-metrics.js';
import { ServedModels } from './served-models.js';
import { envTokens, TokenVerifier } from './tokens.js';

export interface ServeOptions {
  /** default 127.0.0.1: only this machine can connect unless the host is given */
  host?: string;
  /** default 8080; 0 picks a free port */
  port?: number;
  /** the project folder holding .kiln/ (default: the working directory) */
  projectDir?: string;
  /** database URL (default KILN_DATABASE_URL, else .kiln/kiln.db) */
  url?: string;
  /** use these instead of opening them (the server will not close them) */
  db?: Db;
  store?: Store;
  env?: NodeJS.ProcessEnv;
  /** largest request body in bytes; default 8 MiB */
  bodyLimit?: number;
  /** a request must arrive completely within this; default 30 000 ms */
  requestTimeoutMs?: number;
  /** registry polling interval for live promotion; default 1000 ms */
  watchIntervalMs?: number;
  /** write every prediction to the predictions table; default true */
  logPredictions?: boolean;
  predictionLog?: PredictionLogOptions;
  /** serve without API tokens on a non-loopback address (refused by default) */
  allowAnonymous?: boolean;
  /** how often valid token hashes are re-read; default 2000 ms */
  tokenRefreshMs?: number;
  /** add routes of your own to the app before it listens (custom probes; the benchmark's empty route) */
  routes?: (app: FastifyInstance) => void;
  /** where errors and notices go; default: one JSON line on stderr */
  log?: (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;
  /**
   * work that runs beside the server while it listens (the monitor's schedule: `kiln serve --monitor-every`);
   * each is started once the server listens and stopped first when it closes
   */
  tasks?: readonly ((ctx: ServerContext) => BackgroundTask)[];
}

/** A job running inside the server process; `stop` waits for a run in progress to end. */
export interface BackgroundTask {
  stop(): Promise<void> | void;
}

/** What the route groups share. */
export interface ServerContext {
  /** the database of the prediction log, feedback and tokens */
  readonly db: Db;
  readonly store: Store;
  readonly models: ServedModels;
  readonly predictionLog: PredictionLog | null;
  readonly tokens: TokenVerifier;
  readonly metrics: ServeMetrics;
  readonly bodyLimit: number;
  /** the server is ready once it has read the registry revision */
  ready: boolean;
  log: NonNullable<ServeOptions['log']>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** the JSON body as received (empty for other requests) */
    rawBody: string;
  }
}

export const DEFAULT_BODY_LIMIT = 8 * 1024 * 1024;
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
/** routes that answer without a token: liveness and readiness probes carry no credentials */
const OPEN_ROUTES = new Set(['/v2/health/live', '/v2/health/ready']);

function defaultLog(level: string, message: string, fields: Record<string, unknown> = {}): void {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level, message, ...fields })}\n`);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::ffff:127.0.0.1';
}

/** The error body every route answers with: { error: { code, message, hint?, issues?, request_id } }. */
function errorReply(error: unknown, request: FastifyRequest, reply: FastifyReply, ctx: ServerContext): FastifyReply {
  let status: number;
  let body: Record<string, unknown>;
  const fe = error as FastifyError;
  if (isKilnError(error) && (error.status < 500 || error.details.public === true)) {
    status = error.status;
    body = error.toJSON();
    if (status >= 500) ctx.log('error', error.message, { request_id: request.id, cause: String((error.cause as Error | undefined)?.message ?? '') });
  } else if (!isKilnError(error) && typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    status = fe.statusCode;
    body = frameworkError(fe);
  } else {
    // unknown: log everything, answer nothing about it
    status = 500;
    body = { code: 'E_INTERNAL', message: 'internal error; the server log has the details under this request id' };
    ctx.log('error', error instanceof Error ? error.message : String(error), { request_id: request.id, stack: error instanceof Error ? error.stack : undefined });
  }
  return reply.code(status).header('x-request-id', request.id).send({ error: { ...body, request_id: request.id } });
}

/** fastify's own 4xx errors in Kiln's shape and words */
function frameworkError(e: FastifyError): Record<string, unknown> {
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'E_PAYLOAD_TOO_LARGE', message: 'the request body is larger than the server accepts', hint: 'send fewer rows per request' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'E_VALIDATION', message: 'the body must be JSON', hint: 'send Content-Type: application/json' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'E_VALIDATION', message: 'the request body is empty', hint: 'send a JSON object' };
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return { code: 'E_VALIDATION', message: 'a path segment is too long (model names are at most 100 characters, aliases 63)' };
    case 'FST_ERR_BAD_URL':
      return { code: 'E_VALIDATION', message: 'the URL is not valid (bad percent-encoding)' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'E_VALIDATION', message: 'the Content-Length header does not match the body' };
    default:
      if (e instanceof SyntaxError || e.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return { code: 'E_VALIDATION', message: 'the request body is not valid JSON' };
      if (/__proto__|constructor/.test(e.message)) return { code: 'E_VALIDATION', message: 'the request body uses a forbidden key (__proto__ or constructor.prototype)' };
      return { code: 'E_VALIDATION', message: e.statusCode === 408 ? 'the request took too long to arrive' : 'the request is not valid' };
  }
}

/** Build the app (not listening). Exposed for tests that use app.inject and for the benchmark. */
export function buildApp(ctx: ServerContext, options: { requestTimeoutMs?: number } = {}): FastifyInstance {
  const requestTimeout = options.requestTimeoutMs ?? 30_000;
  const app = Fastify({
    logger: false,
    bodyLimit: ctx.bodyLimit,
    requestTimeout,
    // Node checks request and header deadlines every 30 s by default, so a 30 s deadline could last a minute;
    // check often enough that a stalled client (slowloris) is cut off close to its deadline
    http: { connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(requestTimeout / 4))), headersTimeout: Math.min(requestTimeout, 20_000) },
    connectionTimeout: 120_000,
    keepAliveTimeout: 72_000,
    // model@alias is at most 100 + 1 + 63 characters; longer parameters do not match any route (404)
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    requestIdHeader: false,
    frameworkErrors: (error, request, reply) => errorReply(error, request, reply, ctx),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : uuidv7();
    },
  });
  // JSON only: fastify would otherwise hand a text/plain body to the handlers as a string
  app.removeContentTypeParser('text/plain');
  // fastify's own JSON parser (prototype-poisoning keys refused), keeping the text: a single record's body is
  // exactly the record, and the prediction log stores it as sent instead of serialising it again
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.decorateRequest('rawBody', '');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    parseJson(request, body as string, done);
  });

  // the edge, in order, before anything reads the body: declared size, then the token. Callback hooks rather
  // than async ones: every request passes here, and an async hook costs a promise and a microtask each
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id);
    const length = Number(request.headers['content-length']);
    if (length > ctx.bodyLimit) {
      // answered here: the route never runs (done is not called)
      errorReply(new KilnError('E_PAYLOAD_TOO_LARGE', `the request body (${length} bytes) is larger than the ${ctx.bodyLimit} bytes this server accepts`, { status: 413, hint: 'send fewer rows per request' }), request, reply, ctx);
      return;
    }
    if (!ctx.tokens.enabled || OPEN_ROUTES.has(request.routeOptions.url ?? '')) {
      done();
      return;
    }
    ctx.tokens.check(request.headers.authorization).then((valid) => {
      if (valid) return done();
      reply.header('www-authenticate', 'Bearer realm="kiln"');
      const given = request.headers.authorization !== undefined;
      errorReply(
        new KilnError('E_AUTH', given ? 'the API token is not valid' : 'an API token is required', { status: 401, hint: 'send Authorization: Bearer <token> (kiln tokens create makes one)' }),
        request,
        reply,
        ctx,
      );
    }, done);
  });

  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? '(unmatched)';
    const seconds = reply.elapsedTime / 1000;
    ctx.metrics.httpRequests.inc([route, request.method, String(reply.statusCode)]);
    ctx.metrics.httpDuration.observe([route], seconds);
    done();
  });

  app.setErrorHandler((error, request, reply) => errorReply(error, request, reply, ctx));
  app.setNotFoundHandler((request, reply) =>
    errorReply(new KilnError('E_NOT_FOUND', `no route ${request.method} ${request.url.length > 200 ? `${request.url.slice(0, 200)}…` : request.url}`, { status: 404, hint: 'GET /openapi.json lists the routes' }), request, reply, ctx),
  );

  registerV1Routes(app, ctx);
  registerFeedbackRoutes(app, ctx);
  registerV2Routes(app, ctx);
  registerOpsRoutes(app, ctx);
  return app;
}

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly context: ServerContext;
  /** e.g. http://127.0.0.1:8080 */
  readonly url: string;
  readonly port: number;
  /** stop accepting, finish requests in flight, write the prediction log, close what the server opened */
  close(): Promise<void>;
}

/** Open the registry and database, check the safety rules, and listen. */
export async function startServer(options: ServeOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? defaultLog;
  const ownsDb = !options.db;
  const db = options.db ?? (await openDb(options.url, { projectDir: options.projectDir, env: options.env }));
  const cleanups: (() => Promise<void> | void)[] = [];
  try {
    if (ownsDb) cleanups.push(() => db.close());
    const store = options.store ?? (await openRegistry({ db, projectDir: options.projectDir, env: options.env }));
    if (!options.store) cleanups.unshift(() => store.close());
    await migrate(db, SERVE_LAYER, serveMigrations);

    const tokens = new TokenVerifier(db, envTokens(options.env ?? process.env), {
      refreshMs: options.tokenRefreshMs,
      onError: (e) => log('warn', `reading API tokens failed: ${(e as Error).message}`),
    });
    await tokens.start();
    cleanups.unshift(() => tokens.stop());
    if (!isLoopback(host) && !tokens.enabled && !options.allowAnonymous) {
      throw new KilnError('E_AUTH', `refusing to serve on ${host} without API tokens: anyone who can reach it could use the models`, {
        hint: 'create a token with kiln tokens create (or set KILN_API_TOKENS), or pass --allow-anonymous if the network is trusted',
      });
    }

    const predictionLog =
      options.logPredictions === false
        ? null
        : new PredictionLog(db, { ...options.predictionLog, onError: (e) => log('warn', `writing the prediction log failed: ${(e as Error).message}`) });
    if (predictionLog) cleanups.unshift(() => predictionLog.close());

    const models = new ServedModels(store, {
      watchIntervalMs: options.watchIntervalMs,
      onError: (e) => log('warn', `following the registry failed: ${(e as Error).message}`),
      onSwitch: (ref, from, to) => log('info', `${ref} now serves version ${to} (was ${from})`),
    });
    await models.start();
    cleanups.unshift(() => models.stop());

    const context: ServerContext = { db, store, models, predictionLog, tokens, metrics: new ServeMetrics(models, predictionLog), bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT, ready: true, log };
    const app = buildApp(context, { requestTimeoutMs: options.requestTimeoutMs });
    options.routes?.(app);
    await app.listen({ host, port: options.port ?? 8080 });
    cleanups.unshift(() => app.close());
    for (const task of options.tasks ?? []) {
      const running = task(context);
      cleanups.unshift(() => running.stop());
    }
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : (options.port ?? 8080);
    const shownHost = host.includes(':') ? `[${host}]` : host;
    let closing: Promise<void> | undefined;
    return {
      app,
      context,
      port,
      url: `http://${shownHost}:${port}`,
      close() {
        context.ready = false;
        closing ??= runCleanups(cleanups);
        return closing;
      },
    };
  } catch (e) {
    await runCleanups(cleanups);
    throw e;
  }
}

async function runCleanups(cleanups: (() => Promise<void> | void)[]): Promise<void> {
  for (const cleanup of cleanups) {
    try {
      await cleanup();
    } catch {
      // keep closing the rest
    }
  }
}
