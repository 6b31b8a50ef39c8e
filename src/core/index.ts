// The core layer's public API: Frame, errors, RNG, parameters, the learner contract and the artifact format.
export * from './errors.js';
export * from './frame.js';
export * from './rng.js';
export * from './params.js';
export * from './learner.js';
export * from './artifact.js';
export * from './model-kinds.js';
