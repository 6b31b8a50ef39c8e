// Multi-layer perceptrons on the dense chain, with early stopping on a slice of their own training rows. On
// tabular data they seldom beat boosting alone but blend well with it (their errors differ).
// Layer sizes are searched as text ("64,64") so every searched value stays a plain scalar.

import { MLPClassifier, MLPRegressor } from '../../models/nn/index.js';
import { choice, float, type SearchSpace } from '../search/space.js';
import type { Family, PortfolioEntry } from './family.js';

const layers = (text: unknown): number[] => String(text ?? '64,64').split(',').map(Number);

export const mlpFamily: Family = {
  name: 'mlp',
  title: 'neural network (MLP)',
  tasks: ['binary', 'multiclass', 'regression'],
  chain: 'dense',
  priorCost: 3,
  maxTuned: 8,
  unsuitable: () => null,
  portfolio: (): PortfolioEntry[] => [{ priority: 12, label: '64×64', params: { layers: '64,64', alpha: 1e-4, learningRate: 1e-3 } }],
  space: (): SearchSpace => ({ layers: choice('64', '128', '64,64', '128,64', '256,128'), alpha: float(1e-6, 1e-1, true), learningRate: float(3e-4, 1e-2, true), batchSize: choice(64, 128, 256, 512) }),
  learner(ctx, params) {
    const { layers: text, ...rest } = params;
    const p = { ...rest, hiddenLayerSizes: layers(text), earlyStopping: true, maxEpochs: 200 } as Record<string, unknown>;
    return ctx.task === 'regression' ? new MLPRegressor(p) : new MLPClassifier(p);
  },
  relativeCost(_ctx, params) {
    const units = layers(params.layers).reduce((s, u) => s + u, 0);
    return (units / 128) * (256 / ((params.batchSize as number) ?? 200)) ** 0.3;
  },
  refitParams: (params) => params,
};
