// Search spaces for tuning: each hyper-parameter is a range (linear or log scale) or a list of choices. `sample`
// draws a fresh configuration; `mutate` moves a good one a little (a step in log space, a neighbouring choice),
// which is how the search refines the best configurations it has found so far.

import type { Rng } from '../../core/rng.js';

export type ParamValue = number | string | boolean | null;
export type Params = Readonly<Record<string, ParamValue>>;

export type Dimension =
  | { readonly kind: 'float'; readonly low: number; readonly high: number; readonly log?: boolean }
  | { readonly kind: 'int'; readonly low: number; readonly high: number; readonly log?: boolean }
  | { readonly kind: 'choice'; readonly values: readonly ParamValue[] };

export type SearchSpace = Readonly<Record<string, Dimension>>;

export const float = (low: number, high: number, log = false): Dimension => ({ kind: 'float', low, high, log });
export const int = (low: number, high: number, log = false): Dimension => ({ kind: 'int', low, high, log });
export const choice = (...values: ParamValue[]): Dimension => ({ kind: 'choice', values });

/** position in [0, 1] of a value inside a range dimension */
function toUnit(d: Extract<Dimension, { low: number }>, v: number): number {
  if (d.log) return (Math.log(v) - Math.log(d.low)) / (Math.log(d.high) - Math.log(d.low));
  return (v - d.low) / (d.high - d.low);
}

function fromUnit(d: Extract<Dimension, { low: number }>, u: number): number {
  const t = Math.min(1, Math.max(0, u));
  const v = d.log ? Math.exp(Math.log(d.low) + t * (Math.log(d.high) - Math.log(d.low))) : d.low + t * (d.high - d.low);
  // four significant digits: configurations stay readable and JSON-stable
  return d.kind === 'int' ? Math.round(v) : Number(v.toPrecision(4));
}

export function sample(space: SearchSpace, rng: Rng): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const name of Object.keys(space).sort()) {
    const d = space[name];
    out[name] = d.kind === 'choice' ? d.values[rng.int(d.values.length)] : fromUnit(d, rng.next());
  }
  return out;
}

/**
 * A neighbour of `params`: each dimension moves with probability 1/2 (at least one moves); ranges take a
 * normal step of `scale` (in unit space), choices jump to another value.
 */
export function mutate(space: SearchSpace, params: Params, rng: Rng, scale = 0.15): Record<string, ParamValue> {
  // a step can round back to the same integer or clip at a bound: try again (a few times) until something moves
  let out = mutateOnce(space, params, rng, scale);
  for (let attempt = 0; attempt < 8 && paramsKey(out) === paramsKey(params); attempt++) out = mutateOnce(space, params, rng, scale * 2);
  return out;
}

function mutateOnce(space: SearchSpace, params: Params, rng: Rng, scale: number): Record<string, ParamValue> {
  const names = Object.keys(space).sort();
  const out: Record<string, ParamValue> = { ...params };
  const forced = rng.int(names.length);
  names.forEach((name, j) => {
    if (j !== forced && rng.next() < 0.5) return;
    const d = space[name];
    const current = params[name];
    if (d.kind === 'choice') {
      if (d.values.length < 2) return;
      const at = d.values.indexOf(current as ParamValue);
      let next = rng.int(d.values.length - 1);
      if (at >= 0 && next >= at) next++;
      out[name] = d.values[next];
    } else {
      const u = typeof current === 'number' ? toUnit(d, current) : rng.next();
      out[name] = fromUnit(d, u + scale * rng.normal());
    }
  });
  return out;
}

/** a stable text key of a configuration, to skip exact repeats */
export function paramsKey(params: Params): string {
  return JSON.stringify(Object.keys(params).sort().map((k) => [k, params[k]]));
}
