// How the CLI talks to people: one clear message per failure (no stack trace unless KILN_DEBUG is set),
// and an exit code scripts can rely on (1 = the job failed, 2 = the command line was wrong).

import { pc } from '../core/colors.js';
import { isKilnError } from '../core/errors.js';

export function printError(e: unknown): void {
  if (isKilnError(e)) {
    process.stderr.write(`${pc.red('error')} ${e.message}\n`);
    for (const issue of e.issues.slice(0, 20)) {
      const where = issue.path.length ? `${issue.path.join('.')}: ` : '';
      process.stderr.write(`  - ${where}${issue.message ?? `expected ${issue.expected}, received ${issue.received}`}\n`);
    }
    if (e.hint) process.stderr.write(`${pc.dim('hint')}  ${e.hint}\n`);
  } else {
    const message = e instanceof Error ? e.message : String(e);
    process.stderr.write(`${pc.red('error')} ${message}\n`);
  }
  if (process.env.KILN_DEBUG && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
}

/** Wrap a command action: errors are printed once and turn into exit code 1. */
export function action<A extends unknown[]>(fn: (...args: A) => Promise<void> | void): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await fn(...args);
    } catch (e) {
      printError(e);
      process.exitCode = 1;
    }
  };
}
