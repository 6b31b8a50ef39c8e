// Runs a short Python script with scipy/numpy (the system interpreter) on JSON input and returns its JSON
// output, so the monitor's reference tests compare Kiln with scipy on the same numbers in the same run.
// When the interpreter or a module is missing the tests skip with the reason, except under CI=true, where
// scripts/test.sh installs them and a missing reference is a failure.

import { spawnSync } from 'node:child_process';

const PYTHON = '/usr/bin/python3';

const availability = new Map<string, string | null>();

/** null when the modules can be imported, else why not */
function unavailableReason(modules: readonly string[]): string | null {
  const key = modules.join(',');
  if (!availability.has(key)) {
    const probe = spawnSync(PYTHON, ['-c', `import ${key}`], { encoding: 'utf8' });
    availability.set(key, probe.status === 0 ? null : `${key} not available at ${PYTHON} (${(probe.stderr || String(probe.error ?? '')).trim().split('\n').pop()})`);
  }
  return availability.get(key) ?? null;
}

/** test option: `test(name, scipyOnly(), fn)`; skips with the reason locally, fails under CI */
export function scipyOnly(extra: readonly string[] = []): { skip?: string } {
  const why = unavailableReason(['numpy', 'scipy', ...extra]);
  if (why && process.env.CI === 'true') throw new Error(`${why}; CI must have the Python references (scripts/test.sh installs them)`);
  return why ? { skip: why } : {};
}

/** Run `script` with the JSON of `input` on stdin; the script prints one JSON document on stdout. */
export function runPython<T = unknown>(script: string, input: unknown): T {
  const result = spawnSync(PYTHON, ['-c', script], {
    input: JSON.stringify(input),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', PYTHONHASHSEED: '0' },
  });
  if (result.status !== 0) throw new Error(`python reference failed (${result.status}): ${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

/** |a - b| <= abs + rel·|b|, with a message naming the case */
export function assertClose(actual: number, expected: number, tol: { rel?: number; abs?: number }, what: string): void {
  const allowed = (tol.abs ?? 0) + (tol.rel ?? 0) * Math.abs(expected);
  const diff = Math.abs(actual - expected);
  if (!(diff <= allowed) && !(actual === expected))
    throw new Error(`${what}: got ${actual}, scipy ${expected} (diff ${diff.toExponential(2)} > allowed ${allowed.toExponential(2)})`);
}
