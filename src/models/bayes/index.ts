// The naive Bayes family's public API: Gaussian (continuous features), multinomial and Bernoulli (counts, presence).
export { BernoulliNB, GaussianNB, MultinomialNB } from './learner.js';
export { NaiveBayesModel, BERNOULLI_NB_KIND, GAUSSIAN_NB_KIND, MULTINOMIAL_NB_KIND } from './model.js';
export { BERNOULLI_NB_PARAMS, GAUSSIAN_NB_PARAMS, MULTINOMIAL_NB_PARAMS } from './params.js';
export type { BernoulliNBParams, GaussianNBParams, MultinomialNBParams } from './params.js';
