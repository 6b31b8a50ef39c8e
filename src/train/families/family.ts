// What the trainer knows about a model family: which tasks and feature chain it takes, its portfolio of
// known-good configurations (tried first, in order), the space tuning searches, how to build its learner, how
// expensive a configuration is relative to the family's first one, and how to refit it on all rows.
// Families are rows of the table in families/index.ts; a new family plugs in by adding one file and one row.

import type { Json } from '../../core/artifact.js';
import type { Learner, Task } from '../../core/learner.js';
import type { ChainKind, ChainParams } from '../../features/index.js';
import type { MetricName } from '../metrics/index.js';
import type { Params, SearchSpace } from '../search/space.js';

/** What a family may look at when it proposes configurations. */
export interface FamilyContext {
  readonly task: Task;
  /** rows the search trains on (all folds together) */
  readonly nRows: number;
  /** input columns (before one-hot encoding) */
  readonly nColumns: number;
  /** classification: number of classes */
  readonly nClasses: number;
  /** classification: share of the rarest class (1 for regression) */
  readonly minorityShare: number;
  readonly metric: MetricName;
  /** binary: a cost matrix was declared (label decisions matter more than ranking) */
  readonly costs: boolean;
}

export interface PortfolioEntry {
  /** a short name shown on the leaderboard, e.g. "gbdt slow-learner" */
  readonly label: string;
  readonly params: Params;
  /** order across all families: lower runs first (cheap, usually strong configurations lead) */
  readonly priority: number;
}

export interface Family {
  /** the name used in kiln.yaml (families.include / exclude) and on the leaderboard */
  readonly name: string;
  /** what people call it */
  readonly title: string;
  readonly tasks: readonly Task[];
  /** the feature chain its learners read */
  readonly chain: ChainKind;
  readonly chainParams?: Partial<ChainParams>;
  /** why the family does not suit this data (too many rows for brute-force neighbours...), or null */
  unsuitable(ctx: FamilyContext): string | null;
  /** known-good configurations, most promising first */
  portfolio(ctx: FamilyContext): readonly PortfolioEntry[];
  space(ctx: FamilyContext): SearchSpace;
  /** fit cost of portfolio()[0] relative to gradient boosting's first configuration, before anything was measured */
  readonly priorCost: number;
  /** configurations tuning may add at most (a small space is exhausted quickly); default unlimited */
  readonly maxTuned?: number;
  learner(ctx: FamilyContext, params: Params): Learner;
  /** fit cost of `params` relative to portfolio()[0] on the same rows (a rough factor, for time estimates) */
  relativeCost(ctx: FamilyContext, params: Params): number;
  /** params for the final fit on all rows, given each fold model's info (e.g. fixed rounds from early stopping) */
  refitParams(params: Params, foldInfo: readonly (Json | undefined)[]): Params;
  /** the final fit's work per row relative to a fold fit's (boosting: fewer rounds, no early-stopping checks); default 1 */
  refitWork?(params: Params, foldInfo: readonly (Json | undefined)[]): number;
}

/** Model facts a family may need after a fold fit (GBDT: the rounds early stopping kept). */
export function modelInfo(model: unknown): Json | undefined {
  const info = (model as { info?: Json }).info;
  return info === undefined ? undefined : info;
}
