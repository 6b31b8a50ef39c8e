// The monitor inside the server: `kiln serve --monitor-every 1h` runs the same check as `kiln monitor` on a timer,
// for each served model (its champion, else its latest version), records it, sends the webhook, and — when
// kiln.yaml asks for an automatic policy — starts a retrain (at most once per monitor.retrain.min_interval).
// Runs never overlap: the next one is timed from the end of the previous one.

import { isKilnError } from '../../core/errors.js';
import type { LoadedProject } from '../../train/index.js';
import type { BackgroundTask, ServerContext } from '../../serve/index.js';
import { Counter } from '../../serve/metrics.js';
import type { CheckName, MonitorSettings } from '../settings.js';
import { type MonitorRun, runMonitor } from './monitor.js';
import { retrainAllowed } from './retrain.js';
import { MonitorStore } from './store.js';

export interface Schedule extends BackgroundTask {
  /** run once now (after any run in progress); resolves when it is done */
  runNow(): Promise<void>;
  /** completed runs so far */
  readonly runs: number;
}

/** Call `run` every `everyMs` (first run after one interval, or at once with `immediately`), never two at a time. */
export function startSchedule(options: { everyMs: number; run: () => Promise<void>; onError?: (e: unknown) => void; immediately?: boolean }): Schedule {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let stopped = false;
  let runs = 0;
  const tick = (): Promise<void> => {
    if (running) return running.then(tick);
    running = options
      .run()
      .catch((e: unknown) => options.onError?.(e))
      .finally(() => {
        runs++;
        running = null;
        plan();
      });
    return running;
  };
  const plan = (): void => {
    if (stopped) return;
    clearTimeout(timer);
    timer = setTimeout(() => void tick(), options.everyMs);
    timer.unref();
  };
  if (options.immediately) void tick();
  else plan();
  return {
    runNow: tick,
    get runs() {
      return runs;
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}

export interface ServerMonitorOptions {
  readonly everyMs: number;
  readonly settings: MonitorSettings;
  readonly project: LoadedProject | null;
  /** references to check (default: every registered model's champion, else its latest version) */
  readonly refs?: readonly string[];
  /** start a retrain (kiln serve spawns `kiln retrain` so training does not stall requests) */
  readonly retrain?: (name: string, trigger: CheckName) => Promise<void>;
  /** every finished run, for tests and tooling */
  readonly onRun?: (run: MonitorRun) => void;
  readonly immediately?: boolean;
}

/** The task kiln serve hands to startServer({ tasks }). */
export function serverMonitor(options: ServerMonitorOptions): (ctx: ServerContext) => Schedule {
  return (ctx) => {
    const checks = ctx.metrics.registry.add(new Counter('kiln_monitor_checks_total', 'scheduled monitoring checks, by model, check and result', ['model', 'check', 'status']));
    let monitorStore: MonitorStore | null = null;
    const quiet = new Set<string>();
    /** models with a retrain running (it is not awaited: training must not hold up the next check or a stop) */
    const retraining = new Set<string>();
    /** when this server last started a retrain per model: a failed retrain records no decision, yet must wait too */
    const attempted = new Map<string, number>();
    const once = async (): Promise<void> => {
      monitorStore ??= await MonitorStore.open({ db: ctx.db });
      await ctx.predictionLog?.flush();
      const refs = options.refs ?? (await ctx.store.listModels()).map((m) => (m.aliases.champion !== undefined ? `${m.name}@champion` : m.name));
      for (const ref of refs) {
        let run: MonitorRun;
        try {
          run = await runMonitor({ db: ctx.db, store: ctx.store, monitorStore, ref, settings: options.settings, project: options.project });
        } catch (e) {
          // nothing logged yet, or no reference: say so once per model, not every interval
          const expected = isKilnError(e) && ['E_DATA_EMPTY', 'E_NOT_FOUND', 'E_CONFLICT'].includes(e.code);
          if (!expected || !quiet.has(ref)) ctx.log(expected ? 'info' : 'warn', `monitor ${ref}: ${(e as Error).message}`);
          if (expected) quiet.add(ref);
          continue;
        }
        quiet.delete(ref);
        const c = run.check.checks;
        for (const name of ['drift', 'performance'] as const) checks.inc([run.version.name, name, c[name].status]);
        const failed = run.check.failed;
        ctx.log(failed.length ? 'warn' : 'info', `monitor ${ref} (version ${run.version.version}): drift ${c.drift.status}, performance ${c.performance.status}`, {
          rows: run.check.rows,
          labelled: run.check.performance.labelled,
          reasons: failed.flatMap((f) => c[f].reasons),
          webhook: run.delivery ? (run.delivery.ok ? run.delivery.status : run.delivery.error) : null,
        });
        options.onRun?.(run);
        const trigger = failed.find((f) => options.settings.retrain.on.includes(f));
        if (options.settings.retrain.policy !== 'auto' || !trigger || !options.retrain) continue;
        const name = run.version.name;
        if (retraining.has(name)) continue;
        const gate = await retrainAllowed(monitorStore, name, options.settings);
        const tried = attempted.get(name);
        if (!gate.allowed || (tried !== undefined && Date.now() - tried < options.settings.retrain.minInterval)) {
          ctx.log('info', `monitor ${ref}: ${trigger} would retrain, but the last retrain was at ${gate.last ?? new Date(tried as number).toISOString()} (monitor.retrain.min_interval)`);
          continue;
        }
        ctx.log('info', `monitor ${ref}: ${trigger} check failed, retraining ${name}`);
        retraining.add(name);
        attempted.set(name, Date.now());
        void options
          .retrain(name, trigger)
          .catch((e: unknown) => ctx.log('warn', `retraining ${name} failed: ${(e as Error).message}`))
          .finally(() => retraining.delete(name));
      }
    };
    const schedule = startSchedule({ everyMs: options.everyMs, run: once, immediately: options.immediately, onError: (e) => ctx.log('warn', `monitor run failed: ${(e as Error).message}`) });
    return {
      runNow: () => schedule.runNow(),
      get runs() {
        return schedule.runs;
      },
      async stop() {
        await schedule.stop();
      },
    };
  };
}
