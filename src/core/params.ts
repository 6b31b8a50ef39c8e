// Hyper-parameters declared once: each has a default, a doc line and a constraint. The same table drives
// the merge of defaults, validation (all issues collected, each naming the parameter) and documentation.

import { describeValue, ParamError, type Issue } from './errors.js';

export type ParamValue = number | string | boolean | null | readonly number[] | Readonly<Record<string, number>>;

export interface ParamSpec<T = unknown> {
  default: T;
  doc: string;
  /** returns a description of what is expected when `value` is invalid, or null when it is fine */
  check: (value: T, all: Record<string, unknown>) => string | null;
}

export type ParamTable<P> = { readonly [K in keyof P]: ParamSpec<P[K]> };

/** Defaults merged with the user's values into a frozen object; unknown keys are kept for `validateParams` to reject. */
export function mergeParams<P extends object>(table: ParamTable<P>, given: Partial<P> = {}): Readonly<P> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(table)) out[key] = (table as Record<string, ParamSpec>)[key].default;
  for (const [key, value] of Object.entries(given)) if (value !== undefined) out[key] = value;
  return Object.freeze(out) as Readonly<P>;
}

/** Check every parameter against its constraint; throws one ParamError listing all problems. */
export function validateParams<P extends object>(table: ParamTable<P>, params: Readonly<P>, owner?: string): void {
  const issues: Issue[] = [];
  const all = params as Record<string, unknown>;
  for (const key of Object.keys(all)) {
    const spec = (table as Record<string, ParamSpec | undefined>)[key];
    if (!spec) {
      const known = Object.keys(table).join(', ');
      issues.push({ path: [key], expected: 'a known parameter', received: describeValue(all[key]), message: `${key}: unknown parameter (known: ${known})` });
      continue;
    }
    const problem = spec.check(all[key], all);
    if (problem) issues.push({ path: [key], expected: problem, received: describeValue(all[key]), message: `${key} = ${describeValue(all[key])}: ${problem}` });
  }
  if (issues.length) throw new ParamError(issues, owner);
}

// Reusable constraints; each returns the expectation in words, or null.
const isNum = (v: unknown): v is number => typeof v === 'number' && !Number.isNaN(v);

export const constraints = {
  number: (v: unknown) => (isNum(v) && Number.isFinite(v) ? null : 'must be a finite number'),
  gt: (min: number) => (v: unknown) => (isNum(v) && Number.isFinite(v) && v > min ? null : `must be > ${min}`),
  ge: (min: number) => (v: unknown) => (isNum(v) && Number.isFinite(v) && v >= min ? null : `must be >= ${min}`),
  range: (min: number, max: number) => (v: unknown) =>
    isNum(v) && v >= min && v <= max ? null : `must be between ${min} and ${max}`,
  /** (min, max]: e.g. a subsample fraction */
  fraction: (v: unknown) => (isNum(v) && v > 0 && v <= 1 ? null : 'must be in (0, 1]'),
  int: (min: number, max = Number.MAX_SAFE_INTEGER) => (v: unknown) =>
    Number.isInteger(v) && (v as number) >= min && (v as number) <= max
      ? null
      : max === Number.MAX_SAFE_INTEGER
        ? `must be an integer >= ${min}`
        : `must be an integer between ${min} and ${max}`,
  oneOf:
    <T extends string>(...options: readonly T[]) =>
    (v: unknown) =>
      options.includes(v as T) ? null : `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}`,
  boolean: (v: unknown) => (typeof v === 'boolean' ? null : 'must be true or false'),
  nullable:
    (inner: (v: unknown) => string | null) =>
    (v: unknown): string | null => {
      if (v === null) return null;
      const problem = inner(v);
      return problem ? `${problem} (or null)` : null;
    },
  any: () => null,
};
