// The features layer's public API: fitted transforms, the feature chains, the input signature and the Pipeline.
export { TabularEncoder, encodeTarget, frameToTrainSet, type EncodedTarget, type ColumnEncoding } from './tabular-encoder.js';
export { SimpleImputer, type ImputerOptions } from './imputer.js';
export { StandardScaler, type ScalerOptions } from './scaler.js';
export { OneHotEncoder, type OneHotOptions } from './one-hot.js';
export { OrdinalEncoder } from './ordinal.js';
export { TargetEncoder, type TargetEncoderOptions } from './target-encoder.js';
export { DatetimeParts, DATE_PARTS, datePart, type DatePart, type DatetimePartsOptions } from './datetime-parts.js';
export type { FittedTransform, TransformJson, TransformType } from './transform.js';
export { transformFromJSON } from './transforms.js';
export { CHAIN_PARAMS, FeatureChain, fitFeatureChain, type ChainKind, type ChainParams, type FeatureChainJson, type FitChainOptions } from './chain.js';
export {
  checkFrame,
  conformFrame,
  inferSignature,
  MAX_LISTED_CATEGORIES,
  parseIsoDateTime,
  recordsToFrame,
  signatureFromJSON,
  unseenCategories,
  type RecordsOptions,
  type Signature,
  type SignatureColumn,
  type SignatureType,
} from './signature.js';
export { Pipeline, PIPELINE_FORMAT, PIPELINE_KIND, type FitPipelineOptions, type PipelineParts, type PipelinePrediction } from './pipeline.js';
export type { CleaningRecipe } from './pipeline-recipe.js';
