// The real `kiln` command as a child process (through tsx, from src/): what the CLI tests run. The child gets a
// clean environment (no database URL, artifact folder, debug flag or API tokens from the runner's shell) and a
// fixed user name, unless a test passes its own.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const KILN_MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const CLEARED = ['KILN_DATABASE_URL', 'KILN_ARTIFACTS', 'KILN_DEBUG', 'KILN_API_TOKENS'];

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** variables set for the child (a cleared one given here stays) */
  env?: NodeJS.ProcessEnv;
  /** node flags before the script, e.g. --cpu-prof */
  nodeArgs?: string[];
}

export function cliEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KILN_USER: 'cli-tester', ...extra };
  for (const k of CLEARED) if (!(k in extra)) delete env[k];
  return env;
}

export function startKiln(cwd: string, args: readonly string[], options: CliOptions = {}): ChildProcess {
  return spawn(process.execPath, [...(options.nodeArgs ?? []), '--import', TSX, KILN_MAIN, ...args], { cwd, env: cliEnv(options.env), stdio: ['ignore', 'pipe', 'pipe'] });
}

/** run to the end; resolves with the exit code and everything printed */
export function runKiln(cwd: string, args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = startKiln(cwd, args, options);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * A clean failure: exit code 1, an "error" line matching `pattern`, no stack trace; with `maxLines`, no more lines
 * than that (one message and a hint).
 */
export function assertCleanFailure(r: CliResult, pattern: RegExp, options: { maxLines?: number } = {}): void {
  assert.equal(r.code, 1, `exit code (stderr: ${r.stderr})`);
  assert.match(r.stderr, pattern);
  assert.match(r.stderr, /^error /);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, 'no stack trace');
  if (options.maxLines !== undefined) assert.ok(r.stderr.trim().split('\n').length <= options.maxLines, `one message and a hint, got:\n${r.stderr}`);
}
