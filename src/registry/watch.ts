// Noticing registry changes cheaply: poll Store.revision() (one single-row read) and call back when it moves.
// A server resolves its aliases once, then re-resolves them inside the callback, so a `kiln promote` elsewhere
// (another process, another machine on PostgreSQL) switches the served version within one interval.

import type { Store } from './types.js';

export interface WatchOptions {
  /** how often to poll; default 1000 ms */
  intervalMs?: number;
  /** called when a poll fails (database briefly unreachable); polling continues. Default: ignore */
  onError?: (error: unknown) => void;
}

export interface RegistryWatch {
  /** the revision seen at start */
  readonly ready: Promise<number>;
  stop(): void;
}

/**
 * Call `onChange(revision)` after every change to the registry. Calls never overlap: a slow callback delays the
 * next poll. The timer does not keep the process alive.
 */
export function watchRegistry(
  store: Pick<Store, 'revision'>,
  onChange: (revision: number) => void | Promise<void>,
  options: WatchOptions = {},
): RegistryWatch {
  const intervalMs = options.intervalMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let seen: number | undefined;

  const schedule = (): void => {
    if (stopped) return;
    timer = setTimeout(poll, intervalMs);
    timer.unref();
  };
  const poll = async (): Promise<void> => {
    try {
      const revision = await store.revision();
      if (revision !== seen && !stopped) {
        seen = revision;
        await onChange(revision);
      }
    } catch (e) {
      options.onError?.(e);
    }
    schedule();
  };

  const ready = store.revision().then((revision) => {
    seen = revision;
    return revision;
  });
  // if the first read fails, keep polling: the first successful poll then counts as a change
  ready.then(schedule, (e: unknown) => {
    options.onError?.(e);
    schedule();
  });
  return {
    ready,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
