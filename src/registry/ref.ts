// Model references: the one parser for every place a registered model is named (CLI, HTTP routes, library).
//   models:/churn@champion   churn@champion    an alias
//   models:/churn/3          churn/3           a version
//   models:/churn            churn, churn/latest   the newest version

import { ValidationError, describeValue } from '../core/errors.js';
import { validateAlias, validateModelName, validateVersion } from './names.js';

export type ModelRef =
  | { readonly kind: 'latest'; readonly name: string }
  | { readonly kind: 'version'; readonly name: string; readonly version: number }
  | { readonly kind: 'alias'; readonly name: string; readonly alias: string };

const SCHEME = 'models:/';
const FORMS = 'churn, churn/3, churn@champion, or the same after models:/';

function refError(text: unknown, why: string, cause?: unknown): ValidationError {
  return new ValidationError(
    `model reference ${describeValue(text)} is not valid: ${why}`,
    [{ path: ['model'], expected: FORMS, received: describeValue(text) }],
    { hint: `name a model as ${FORMS}`, cause },
  );
}

/** Parse a reference; every part is validated, so the result is safe to use in queries and messages. */
export function parseModelRef(text: string | ModelRef): ModelRef {
  if (typeof text === 'object' && text !== null) return checkRef(text);
  if (typeof text !== 'string') throw refError(text, 'it is not a string');
  const body = text.startsWith(SCHEME) ? text.slice(SCHEME.length) : text;
  const at = body.indexOf('@');
  const slash = body.indexOf('/');
  try {
    if (at >= 0) {
      if (slash >= 0) throw refError(text, 'use either @alias or /version, not both');
      return { kind: 'alias', name: validateModelName(body.slice(0, at)), alias: validateAlias(body.slice(at + 1)) };
    }
    if (slash >= 0) {
      const name = validateModelName(body.slice(0, slash));
      const selector = body.slice(slash + 1);
      if (selector === 'latest') return { kind: 'latest', name };
      if (!/^[0-9]{1,15}$/.test(selector)) throw refError(text, `"${selector}" after "/" is not a version number`);
      return { kind: 'version', name, version: validateVersion(Number(selector)) };
    }
    return { kind: 'latest', name: validateModelName(body) };
  } catch (e) {
    if (e instanceof ValidationError && e.message.startsWith('model reference')) throw e;
    throw refError(text, e instanceof Error ? e.message : String(e), e);
  }
}

function checkRef(ref: ModelRef): ModelRef {
  validateModelName(ref.name);
  if (ref.kind === 'version') validateVersion(ref.version);
  else if (ref.kind === 'alias') validateAlias(ref.alias);
  else if (ref.kind !== 'latest') throw refError(ref, 'unknown reference kind');
  return ref;
}

/** The short form: churn, churn/3 or churn@champion. */
export function formatModelRef(ref: ModelRef): string {
  if (ref.kind === 'version') return `${ref.name}/${ref.version}`;
  if (ref.kind === 'alias') return `${ref.name}@${ref.alias}`;
  return ref.name;
}
