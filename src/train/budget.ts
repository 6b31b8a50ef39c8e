// The time budget of a training run: a deadline on the monotonic clock, and abort signals that read that clock.
// A fit loop that never yields to the event loop (a synchronous solver, a serial forest) still stops on time,
// because every `signal.aborted` check it makes compares the clock with the deadline (see `deadlineSignal`).

import { KilnError } from '../core/errors.js';

/** Raised inside a fit when its deadline passes; the search treats it as "candidate did not finish". */
export class BudgetExceeded extends KilnError {
  constructor(what = 'the time budget') {
    super('E_BUDGET', `${what} ran out`);
  }
}

const abortedGetter = Object.getOwnPropertyDescriptor(AbortSignal.prototype, 'aborted')!.get!;

/**
 * An AbortSignal that aborts itself (with BudgetExceeded) the first time anyone reads `aborted` at or after
 * `deadline` (performance.now() milliseconds), or when `parent` aborts. A timer also fires it, so listeners run
 * when the event loop gets a turn. Call `dispose` when done so the timer does not linger.
 */
export function deadlineSignal(deadline: number, parent?: AbortSignal, what?: string): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const signal = controller.signal;
  const check = (): boolean => {
    if (!abortedGetter.call(signal)) {
      if (parent && abortedGetter.call(parent)) controller.abort(parent.reason);
      else if (performance.now() >= deadline) controller.abort(new BudgetExceeded(what));
    }
    return abortedGetter.call(signal) as boolean;
  };
  // an own property shadows the prototype's getter; `reason` and events stay the controller's
  Object.defineProperty(signal, 'aborted', { get: check, configurable: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (Number.isFinite(deadline)) {
    timer = setTimeout(check, Math.max(0, deadline - performance.now()));
    timer.unref?.();
  }
  const onParent = (): void => void check();
  parent?.addEventListener('abort', onParent, { once: true });
  return {
    signal,
    dispose: () => {
      if (timer) clearTimeout(timer);
      parent?.removeEventListener('abort', onParent);
    },
  };
}

/** A run's clock: seconds since the start, seconds left (Infinity without a time limit), signals that stop at a deadline. */
export class Budget {
  /** performance.now() at the start */
  readonly startedAt: number;
  /** the limit in seconds, or null for none (trial-limited, reproducible runs) */
  readonly seconds: number | null;
  /** performance.now() value at which the budget ends (Infinity without a limit) */
  readonly deadline: number;
  /** aborts everything (Ctrl-C, a caller's cancel) */
  readonly parent?: AbortSignal;

  constructor(seconds: number | null, options: { startedAt?: number; parent?: AbortSignal } = {}) {
    this.startedAt = options.startedAt ?? performance.now();
    this.seconds = seconds;
    this.deadline = seconds === null ? Infinity : this.startedAt + seconds * 1000;
    this.parent = options.parent;
  }

  elapsed(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  remaining(): number {
    return this.seconds === null ? Infinity : (this.deadline - performance.now()) / 1000;
  }

  /** performance.now() value `seconds` before the end of the budget */
  before(seconds: number): number {
    return this.deadline - seconds * 1000;
  }

  /** a signal that fires at `deadline` (default: the end of the budget) or when the run is cancelled */
  signal(deadline = this.deadline, what?: string): { signal: AbortSignal; dispose: () => void } {
    return deadlineSignal(deadline, this.parent, what);
  }

  /** throws the parent's reason when the run was cancelled */
  checkCancelled(): void {
    if (this.parent?.aborted) throw this.parent.reason instanceof Error ? this.parent.reason : new KilnError('E_ABORTED', 'training was cancelled');
  }
}

/** "90s", "2m", "1.5h", "1h30m", "120" (seconds) or a number of seconds → seconds; null when unparseable. */
export function parseDuration(value: string | number): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : null;
  const text = value.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) > 0 ? Number(text) : null;
  const units: Record<string, number> = { s: 1, sec: 1, m: 60, min: 60, h: 3600 };
  const re = /(\d+(?:\.\d+)?)\s*(sec|min|s|m|h)/gy;
  let total = 0;
  let at = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    total += Number(match[1]) * units[match[2]];
    at = re.lastIndex;
  }
  return at === text.length && total > 0 ? total : null;
}

/** 95 → "1m35s", 12.3 → "12.3s" */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '∞';
  if (seconds < 60) return `${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)}s`;
  const m = Math.floor(seconds / 60);
  const s = Math.round(seconds - m * 60);
  return s ? `${m}m${s}s` : `${m}m`;
}
