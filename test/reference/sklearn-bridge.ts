// Runs a short Python script with scikit-learn (the system interpreter) on JSON input and returns its JSON
// output, so reference tests can compare Kiln with scikit-learn on the same numbers in the same run.
// When the interpreter or scikit-learn is missing the tests skip with the reason, except under CI=true,
// where scripts/test.sh installs them and a missing reference is a failure.

import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

let availability: string | null | undefined;

/** null when scikit-learn can be used, else why not */
function unavailableReason(): string | null {
  if (availability !== undefined) return availability;
  const probe = spawnSync(PYTHON, ['-c', 'import sklearn, numpy, scipy'], { encoding: 'utf8' });
  availability = probe.status === 0 ? null : `scikit-learn is not available at ${PYTHON} (${(probe.stderr || String(probe.error ?? '')).trim().split('\n').pop()})`;
  return availability;
}

/** test option: `test(name, sklearnOnly(), fn)`; skips with the reason locally, fails under CI */
export function sklearnOnly(): { skip?: string } {
  const why = unavailableReason();
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

/** JSON cannot hold NaN: typed arrays go as plain lists with NaN written as null */
export function toJsonArray(a: ArrayLike<number>): (number | null)[] {
  return Array.from(a, (v) => (Number.isNaN(v) ? null : v));
}
