// The fixed registry of transform types: a serialised transform's `type` is looked up here to find the function
// that rebuilds it from plain JSON. Nothing else is consulted, so loading a chain never runs its content.

import { ModelFormatError } from '../core/errors.js';
import { DatetimeParts } from './datetime-parts.js';
import { SimpleImputer } from './imputer.js';
import { OneHotEncoder } from './one-hot.js';
import { OrdinalEncoder } from './ordinal.js';
import { StandardScaler } from './scaler.js';
import { TargetEncoder } from './target-encoder.js';
import type { FittedTransform, TransformJson, TransformType } from './transform.js';

const LOADERS: Readonly<Record<TransformType, (json: TransformJson) => FittedTransform>> = {
  impute: SimpleImputer.fromJSON,
  scale: StandardScaler.fromJSON,
  'one-hot': OneHotEncoder.fromJSON,
  ordinal: OrdinalEncoder.fromJSON,
  target: TargetEncoder.fromJSON,
  'datetime-parts': DatetimeParts.fromJSON,
};

export function transformFromJSON(json: unknown): FittedTransform {
  const type = (json as { type?: unknown } | null)?.type;
  if (typeof type !== 'string' || !Object.hasOwn(LOADERS, type)) throw new ModelFormatError(`unknown feature transform type ${JSON.stringify(type)}`, { hint: `known: ${Object.keys(LOADERS).join(', ')}` });
  return LOADERS[type as TransformType](json as TransformJson);
}
