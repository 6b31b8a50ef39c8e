// `kiln serve [--port 8080] [--host 127.0.0.1] [--monitor-every 1h]`: answer predictions over HTTP with the
// registered models (v1 JSON API, Open Inference Protocol V2, feedback, /metrics, /openapi.json). Follows alias
// moves live; with --monitor-every it also runs `kiln monitor`'s checks on a schedule (and kiln.yaml's automatic
// retrain policy); Ctrl-C stops it cleanly (requests in flight finish, the prediction log is written).

import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { resolveDbTarget } from '../../core/db/index.js';
import { NotFoundError, ValidationError } from '../../core/errors.js';
import { parseMonitorSettings, parseSpan } from '../../monitor/index.js';
import { serverMonitor } from '../../monitor/service/index.js';
import { parseModelRef } from '../../registry/index.js';
import { type BackgroundTask, type ServerContext, startServer } from '../../serve/index.js';
import { action } from '../output.js';
import { optionalProject } from './monitor.js';
import { spawnRetrain } from './retrain.js';

interface ServeOptions {
  port: string;
  host: string;
  bodyLimit: string;
  requestTimeout: string;
  watchInterval: string;
  log: boolean;
  allowAnonymous?: boolean;
  monitorEvery?: string;
  monitor?: string[];
  project?: string;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|kib|mb|mib|gb|gib)?$/i;
const UNITS: Record<string, number> = { b: 1, kb: 1000, kib: 1024, mb: 1e6, mib: 1024 ** 2, gb: 1e9, gib: 1024 ** 3 };

/** "8mb", "512KiB", "1000000" → bytes */
export function parseSize(text: string, option: string): number {
  const m = SIZE.exec(text.trim());
  const bytes = m ? Math.floor(Number(m[1]) * UNITS[(m[2] ?? 'b').toLowerCase()]) : NaN;
  if (!(bytes >= 1)) throw new ValidationError(`${option} ${JSON.stringify(text)} is not a size`, [{ path: [option], expected: 'a size such as 8mb, 512kb or a byte count', received: text }]);
  return bytes;
}

export function parseInteger(text: string, option: string, min: number, max: number): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!(n >= min && n <= max)) throw new ValidationError(`${option} ${JSON.stringify(text)} must be a whole number from ${min} to ${max}`, [{ path: [option], expected: `an integer in [${min}, ${max}]`, received: text }]);
  return n;
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('serve the registered models over HTTP (v1 JSON API, Open Inference Protocol V2, metrics, OpenAPI)')
    .option('--port <port>', 'TCP port (0 picks a free one)', '8080')
    .option('--host <host>', 'address to listen on; anything but loopback needs API tokens (kiln tokens create)', '127.0.0.1')
    .option('--body-limit <size>', 'largest request body', '8mb')
    .option('--request-timeout <ms>', 'a request must arrive completely within this', '30000')
    .option('--watch-interval <ms>', 'how often the registry is checked for alias moves', '1000')
    .option('--no-log', 'do not write predictions to the prediction log')
    .option('--allow-anonymous', 'serve a non-loopback address without API tokens (only on a trusted network)')
    .option('--monitor-every <span>', 'run the monitoring checks on a schedule, e.g. 1h, 30m (kiln.yaml monitor settings apply)')
    .option('--monitor <model...>', 'with --monitor-every: the models to check (default: each model\'s champion, else its latest version)')
    .option('--project <file>', 'kiln.yaml with the monitor settings (default: ./kiln.yaml when present)')
    .action(
      action(async (options: ServeOptions) => {
        const { dialect, target } = resolveDbTarget();
        if (dialect === 'sqlite' && target !== ':memory:' && !existsSync(target)) {
          throw new NotFoundError(`there is no model registry here (${target} does not exist)`, {
            hint: 'run kiln in the project folder, or set KILN_DATABASE_URL; kiln train registers models',
          });
        }
        const tasks: ((ctx: ServerContext) => BackgroundTask)[] = [];
        let monitorLine: string | null = null;
        if (options.monitorEvery !== undefined) {
          const everyMs = parseSpan(options.monitorEvery);
          if (everyMs === null || everyMs < 1000)
            throw new ValidationError(`--monitor-every ${JSON.stringify(options.monitorEvery)} is not a span of at least one second`, [{ path: ['--monitor-every'], expected: 'a span such as 1h, 30m or 10s', received: options.monitorEvery }]);
          for (const ref of options.monitor ?? []) parseModelRef(ref);
          const project = await optionalProject(options.project);
          const settings = parseMonitorSettings(project?.project.monitor);
          const retrain = project && settings.retrain.policy === 'auto' ? (name: string, trigger: 'drift' | 'performance') => spawnRetrain(name, trigger, project.file) : undefined;
          tasks.push(serverMonitor({ everyMs, settings, project, refs: options.monitor, retrain }));
          monitorLine = `  monitor: every ${options.monitorEvery}${options.monitor ? ` (${options.monitor.join(', ')})` : ''}${settings.alerts.webhook ? `, alerts to ${settings.alerts.webhook}` : ''}${retrain ? ', automatic retrain' : ''}`;
        }
        const server = await startServer({
          tasks,
          host: options.host,
          port: parseInteger(options.port, '--port', 0, 65535),
          bodyLimit: parseSize(options.bodyLimit, '--body-limit'),
          requestTimeoutMs: parseInteger(options.requestTimeout, '--request-timeout', 1, 3_600_000),
          watchIntervalMs: parseInteger(options.watchInterval, '--watch-interval', 10, 3_600_000),
          logPredictions: options.log,
          allowAnonymous: options.allowAnonymous,
        });
        const models = await server.context.store.listModels();
        const summary = models.map((m) => `${m.name} (v${m.latestVersion}${Object.keys(m.aliases).length ? `; ${Object.entries(m.aliases).map(([a, v]) => `@${a}→${v}`).join(' ')}` : ''})`);
        process.stdout.write(`kiln serve: listening on ${server.url}\n`);
        process.stdout.write(`  models: ${summary.join(', ') || 'none registered yet'}\n`);
        process.stdout.write(`  auth: ${server.context.tokens.enabled ? 'API tokens required (Authorization: Bearer …)' : 'off (loopback only)'}\n`);
        if (monitorLine) process.stdout.write(`${monitorLine}\n`);
        process.stdout.write(`  try: curl -s ${server.url}/openapi.json | head\n`);
        await new Promise<void>((resolve) => {
          const stop = (): void => {
            process.off('SIGINT', stop);
            process.off('SIGTERM', stop);
            process.stdout.write('kiln serve: stopping (finishing requests, writing the prediction log)\n');
            server.close().then(resolve, resolve);
          };
          process.on('SIGINT', stop);
          process.on('SIGTERM', stop);
        });
      }),
    );
}
