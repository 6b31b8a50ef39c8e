// The search: first every family's portfolio of known-good configurations (interleaved, so each family gets its
// best shot early), then tuning of the most promising families by successive halving over folds — a batch of
// configurations (random draws, or refinements of the best so far) is scored on the first fold only, and only the
// batch's best goes on to the remaining folds, and only if it could enter the top five. Every decision depends
// on scores alone, so with a trial limit (no clock) a run is exactly reproducible.
// With a time limit, a fold starts only when its estimated fit time fits before the reserve (the time kept for
// ensembling and the final fit), and it is aborted when it runs past that point.

import { isKilnError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { Budget } from '../budget.js';
import type { FoldData } from '../cv/fold-data.js';
import type { PreparedData } from '../cv/prepare.js';
import type { Family, FamilyContext } from '../families/index.js';
import { isBetter, type MetricName } from '../metrics/index.js';
import { Candidate, type CandidateOrigin } from './candidate.js';
import { mutate, type Params, paramsKey, sample } from './space.js';

export interface SearchEvent {
  readonly type: 'fold' | 'candidate';
  readonly candidate: Candidate;
  readonly trials: number;
  readonly best: Candidate | null;
}

export interface SearchOptions {
  readonly data: PreparedData;
  readonly foldData: FoldData;
  readonly families: readonly Family[];
  readonly context: FamilyContext;
  readonly metric: MetricName;
  readonly seed: number;
  readonly budget: Budget;
  /** stop after this many configurations (a reproducible run); null: until the time runs out */
  readonly trials: number | null;
  /** seconds to keep free at the end, given the candidates completed so far */
  readonly reserve: (complete: readonly Candidate[]) => number;
  readonly onEvent?: (event: SearchEvent) => void;
}

export interface SearchResult {
  readonly candidates: readonly Candidate[];
  readonly trials: number;
  readonly stoppedBy: 'trials' | 'time' | 'exhausted';
}

/** configurations scored on the first fold per halving batch; the best one continues */
const BATCH = 3;
/** a configuration continues past the first fold only if it beats the first-fold score of this many best ones */
const TOP = 5;
/** tuning stops for a family whose one fold takes more than this share of the time left */
const SLOW_FAMILY_SHARE = 1 / 6;

export async function search(options: SearchOptions): Promise<SearchResult> {
  const s = new SearchState(options);
  await s.portfolio();
  if (s.trialsLeft() && s.timeLeft()) await s.tune();
  return { candidates: s.candidates, trials: s.trials, stoppedBy: s.stoppedBy() };
}

class SearchState {
  readonly candidates: Candidate[] = [];
  trials = 0;
  private readonly rng: Rng;
  private readonly tried = new Set<string>();
  private outOfTime = false;

  constructor(private readonly o: SearchOptions) {
    this.rng = new Rng(o.seed * 31 + 17);
  }

  trialsLeft(): boolean {
    return this.o.trials === null || this.trials < this.o.trials;
  }

  /** seconds available for search work now */
  usable(): number {
    return this.o.budget.remaining() - this.o.reserve(this.complete());
  }

  timeLeft(): boolean {
    return !this.outOfTime && this.usable() > 0;
  }

  stoppedBy(): SearchResult['stoppedBy'] {
    if (!this.trialsLeft()) return 'trials';
    return this.outOfTime || !(this.usable() > 0) ? 'time' : 'exhausted';
  }

  complete(): Candidate[] {
    return this.candidates.filter((c) => c.status === 'complete');
  }

  best(): Candidate | null {
    return this.ranked()[0] ?? null;
  }

  /** complete candidates, best cross-validation score first (ties: earlier first) */
  ranked(): Candidate[] {
    const m = this.o.metric;
    return this.complete().sort((a, b) => (isBetter(m, a.cv.mean, b.cv.mean) ? -1 : isBetter(m, b.cv.mean, a.cv.mean) ? 1 : a.id - b.id));
  }

  async portfolio(): Promise<void> {
    // one queue across families by priority (stable: family order breaks ties)
    const queue = this.o.families.flatMap((f, j) => f.portfolio(this.o.context).map((e, r) => ({ family: f, ...e, first: r === 0, order: j })));
    queue.sort((a, b) => a.priority - b.priority || a.order - b.order);
    for (const entry of queue) {
      if (!this.trialsLeft() || !this.timeLeft()) break;
      const c = this.add(entry.family, entry.label, entry.params, 'portfolio');
      // each family's first configuration always gets a full cross-validation: it is the family's baseline
      await this.evaluate(c, !entry.first);
    }
  }

  async tune(): Promise<void> {
    let idle = 0;
    while (this.trialsLeft() && this.timeLeft() && idle < 20) {
      const family = this.pickFamily();
      if (!family) {
        // every family is too slow for the time left (or has tuned all it may)
        if (this.o.budget.seconds !== null) this.outOfTime = true;
        break;
      }
      const batch: Candidate[] = [];
      for (let b = 0; b < BATCH && this.trialsLeft(); b++) {
        const proposal = this.propose(family);
        if (!proposal) break;
        batch.push(this.add(family, '', proposal.params, proposal.origin));
        this.trials++;
      }
      if (!batch.length) {
        idle++;
        continue;
      }
      idle = 0;
      for (const c of batch) if (!(await this.runFold(c, 0)) && this.outOfTime) break;
      const scored = batch.filter((c) => !Number.isNaN(c.foldScores[0]));
      scored.sort((a, b) => (isBetter(this.o.metric, a.foldScores[0], b.foldScores[0]) ? -1 : 1));
      const [leader, ...rest] = scored;
      for (const c of rest) this.prune(c, `first fold ${fmt(c.foldScores[0])}; the batch's best was ${fmt(leader.foldScores[0])}`);
      for (const c of batch) if (c.status === 'pending' && c !== leader) this.prune(c, 'not run: the time ran out');
      if (leader && leader.status === 'pending') await this.continueOrPrune(leader);
    }
  }

  private add(family: Family, label: string, params: Params, origin: CandidateOrigin): Candidate {
    const c = new Candidate(this.candidates.length + 1, family, label, params, origin, this.o.data);
    this.candidates.push(c);
    this.tried.add(`${family.name}:${paramsKey(params)}`);
    return c;
  }

  /** full cross-validation, or (race) the first fold and then the rest only if it is competitive */
  private async evaluate(c: Candidate, race: boolean): Promise<void> {
    this.trials++;
    if (!(await this.runFold(c, 0))) return;
    if (race) await this.continueOrPrune(c);
    else await this.finish(c);
  }

  private async continueOrPrune(c: Candidate): Promise<void> {
    const bar = this.firstFoldBar();
    if (bar !== null && !isBetter(this.o.metric, c.foldScores[0], bar)) {
      this.prune(c, `first fold ${fmt(c.foldScores[0])} does not beat the top ${TOP}'s ${fmt(bar)}`);
      return;
    }
    await this.finish(c);
  }

  /** the first-fold score a configuration must beat to continue: the worst among the top complete ones */
  private firstFoldBar(): number | null {
    const top = this.ranked().slice(0, TOP);
    if (top.length < TOP) return null;
    return top.map((c) => c.foldScores[0]).sort((a, b) => (isBetter(this.o.metric, a, b) ? -1 : 1))[top.length - 1];
  }

  private async finish(c: Candidate): Promise<void> {
    const k = this.o.data.folds.length;
    for (let f = 1; f < k; f++) {
      // all remaining folds must fit, or none is started: a half-validated candidate is of no use
      const need = c.foldSeconds * (k - f);
      if (this.o.budget.seconds !== null && need > this.usable()) {
        this.stop(c, 'over-budget', `${k - f} more folds need ~${need.toFixed(1)}s; ${Math.max(0, this.usable()).toFixed(1)}s left before the reserve`);
        return;
      }
      if (!(await this.runFold(c, f))) return;
    }
    c.status = 'complete';
    const best = this.best();
    // only the best candidate keeps its fold models (a ready-made fallback when no final fit fits the budget)
    for (const other of this.candidates) if (other !== best) other.foldModels = null;
    this.o.onEvent?.({ type: 'candidate', candidate: c, trials: this.trials, best });
  }

  /** run one fold under the time rules; false when the candidate had to stop */
  private async runFold(c: Candidate, f: number): Promise<boolean> {
    const budget = this.o.budget;
    budget.checkCancelled();
    if (budget.seconds !== null) {
      const estimate = this.estimateFold(c);
      const usable = this.usable();
      if (usable <= 0 || (estimate !== null && estimate > usable)) {
        if (usable <= 0) this.outOfTime = true;
        this.stop(c, 'over-budget', estimate === null ? 'no time left' : `one fold needs ~${estimate.toFixed(1)}s; ${Math.max(0, usable).toFixed(1)}s left before the reserve`);
        return false;
      }
    }
    const limit = budget.seconds === null ? undefined : budget.signal(performance.now() + this.usable() * 1000, `the time for ${c.name}`);
    try {
      await c.runFold(f, { data: this.o.data, foldData: this.o.foldData, context: this.o.context, metric: this.o.metric, seed: this.o.seed, signal: limit?.signal, keepModels: true });
    } catch (e) {
      budget.checkCancelled();
      if (isKilnError(e) && e.code === 'E_BUDGET') {
        this.outOfTime = true;
        this.stop(c, 'over-budget', 'stopped when the time before the reserve ran out');
      } else this.stop(c, 'failed', e instanceof Error ? e.message : String(e));
      return false;
    } finally {
      limit?.dispose();
    }
    this.o.onEvent?.({ type: 'fold', candidate: c, trials: this.trials, best: this.best() });
    return true;
  }

  private stop(c: Candidate, status: 'over-budget' | 'failed', note: string): void {
    c.status = status;
    c.note = note;
    c.foldModels = null;
    this.o.onEvent?.({ type: 'candidate', candidate: c, trials: this.trials, best: this.best() });
  }

  private prune(c: Candidate, note: string): void {
    c.status = 'pruned';
    c.note = note;
    c.foldModels = null;
    this.o.onEvent?.({ type: 'candidate', candidate: c, trials: this.trials, best: this.best() });
  }

  /**
   * Seconds one fold of `c` should take: the family's observed seconds per unit of relative cost (the median
   * over its candidates so far) times c's relative cost; null before the family has run anything.
   */
  estimateFold(c: Candidate): number | null {
    const ctx = this.o.context;
    const rates = this.candidates
      .filter((o) => o.family === c.family && o.foldsRun > 0)
      .map((o) => o.foldSeconds / Math.max(1e-6, c.family.relativeCost(ctx, o.params)))
      .sort((a, b) => a - b);
    if (rates.length) return rates[Math.floor(rates.length / 2)] * c.family.relativeCost(ctx, c.params);
    // nothing of this family ran yet: scale the first measured fold by the families' prior costs
    const first = this.candidates.find((o) => o.foldsRun > 0 && o !== c);
    if (!first) return null;
    const firstRate = first.foldSeconds / Math.max(1e-6, first.family.relativeCost(ctx, first.params)) / first.family.priorCost;
    return firstRate * c.family.priorCost * c.family.relativeCost(ctx, c.params);
  }

  /** the family to tune next: mostly the best one, sometimes the runners-up (diversity for the ensemble) */
  private pickFamily(): Family | null {
    const bestOf = new Map<Family, Candidate>();
    for (const c of this.ranked()) if (!bestOf.has(c.family)) bestOf.set(c.family, c);
    const usable = this.usable();
    const families = [...bestOf.keys()].filter((f) => {
      if (f.maxTuned !== undefined && this.candidates.filter((c) => c.family === f && c.origin !== 'portfolio').length >= f.maxTuned) return false;
      if (this.o.budget.seconds === null) return true;
      return bestOf.get(f)!.foldSeconds < usable * SLOW_FAMILY_SHARE;
    });
    if (!families.length) return null;
    const u = this.rng.next();
    const index = families.length === 1 || u < 0.7 ? 0 : families.length === 2 || u < 0.9 ? 1 : 2;
    return families[Math.min(index, families.length - 1)];
  }

  /** a configuration not tried before: a refinement of one of the family's best (60 %) or a fresh draw */
  private propose(family: Family): { params: Params; origin: CandidateOrigin } | null {
    const space = family.space(this.o.context);
    const top = this.ranked().filter((c) => c.family === family).slice(0, 3);
    for (let attempt = 0; attempt < 20; attempt++) {
      let params: Params;
      let origin: CandidateOrigin;
      if (top.length && this.rng.next() < 0.6) {
        // earlier parents are likelier: 1/2, 1/3, 1/6
        const u = this.rng.next();
        const parent = top[u < 0.5 || top.length === 1 ? 0 : u < 0.83 || top.length === 2 ? 1 : 2];
        const start: Record<string, Params[string]> = {};
        const fresh = sample(space, this.rng);
        for (const name of Object.keys(space)) start[name] = name in parent.params ? parent.params[name] : fresh[name];
        params = mutate(space, start, this.rng);
        origin = 'refined';
      } else {
        params = sample(space, this.rng);
        origin = 'random';
      }
      if (!this.tried.has(`${family.name}:${paramsKey(params)}`)) return { params, origin };
    }
    return null;
  }
}

function fmt(v: number): string {
  return Number.isFinite(v) ? v.toPrecision(4) : String(v);
}
