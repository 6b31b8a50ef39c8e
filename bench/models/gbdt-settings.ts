// Settings shared by the gbdt benchmark and its child processes.

import type { Task } from '../../src/core/learner.js';
import type { MetricName } from '../../src/train/metrics/index.js';

/** XGBoost's settings in reference.py: 300 rounds, learning rate 0.1, depth-wise to depth 6, 2 threads, λ = 1, min_child_weight = 1. */
export const XGBOOST_EQUIVALENT = {
  rounds: 300,
  learningRate: 0.1,
  growth: 'depthwise',
  maxDepth: 6,
  maxLeaves: null,
  maxBins: 255,
  l2: 1,
  minHessianLeaf: 1,
  minSamplesLeaf: 1,
  threads: 2,
} as const;

export const METRICS_BY_TASK: Record<Task, MetricName[]> = {
  binary: ['accuracy', 'f1_macro', 'log_loss', 'roc_auc', 'pr_auc'],
  multiclass: ['accuracy', 'f1_macro', 'log_loss'],
  regression: ['rmse', 'mae', 'r2'],
};

