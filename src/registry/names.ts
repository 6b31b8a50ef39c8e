// The rules for model names and aliases, checked before a name reaches SQL or the file system.
// Model names: letters, digits, "-", "_", "."; start with a letter or digit; no ".."; at most 100 characters.
// Aliases: letters, digits, "-", "_"; start with a letter; at most 63 characters; not "latest" nor "v<digits>",
// which would read like versions.

import { ValidationError, describeValue } from '../core/errors.js';

export const MAX_MODEL_NAME_LENGTH = 100;
export const MAX_ALIAS_LENGTH = 63;

const NAME_CHARS = /^[A-Za-z0-9._-]+$/;
const ALIAS_CHARS = /^[A-Za-z0-9_-]+$/;

/** Why `name` is not a valid model name, or undefined when it is. */
export function modelNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0) return 'it is empty';
  if (name.length > MAX_MODEL_NAME_LENGTH) return `it is ${name.length} characters long (at most ${MAX_MODEL_NAME_LENGTH})`;
  if (/[/\\]/.test(name)) return 'it contains a path separator';
  if (!NAME_CHARS.test(name)) return 'it may only contain letters, digits, "-", "_" and "."';
  if (!/^[A-Za-z0-9]/.test(name)) return 'it must start with a letter or a digit';
  if (name.includes('..')) return 'it contains ".."';
  return undefined;
}

/** Why `alias` is not a valid alias, or undefined when it is. */
export function aliasProblem(alias: unknown): string | undefined {
  if (typeof alias !== 'string' || alias.length === 0) return 'it is empty';
  if (alias.length > MAX_ALIAS_LENGTH) return `it is ${alias.length} characters long (at most ${MAX_ALIAS_LENGTH})`;
  if (!ALIAS_CHARS.test(alias)) return 'it may only contain letters, digits, "-" and "_"';
  if (!/^[A-Za-z]/.test(alias)) return 'it must start with a letter';
  if (alias.toLowerCase() === 'latest') return '"latest" always means the newest version';
  if (/^v\d+$/i.test(alias)) return 'it reads like a version number';
  return undefined;
}

export function validateModelName(name: unknown): string {
  const problem = modelNameProblem(name);
  if (problem === undefined) return name as string;
  throw new ValidationError(`model name ${describeValue(name)} is not valid: ${problem}`, [
    { path: ['name'], expected: 'letters, digits, "-", "_", "." (no "..", no separators, ≤ 100 characters)', received: describeValue(name) },
  ], { hint: 'e.g. churn, churn-v2, fraud_detector' });
}

export function validateAlias(alias: unknown): string {
  const problem = aliasProblem(alias);
  if (problem === undefined) return alias as string;
  throw new ValidationError(`alias ${describeValue(alias)} is not valid: ${problem}`, [
    { path: ['alias'], expected: 'a letter, then letters, digits, "-" or "_" (≤ 63 characters)', received: describeValue(alias) },
  ], { hint: 'e.g. champion, challenger, production, staging' });
}

/** Versions are 1, 2, 3 … */
export function validateVersion(version: unknown): number {
  if (typeof version === 'number' && Number.isSafeInteger(version) && version >= 1) return version;
  throw new ValidationError(`model version ${describeValue(version)} is not valid: versions are whole numbers from 1`, [
    { path: ['version'], expected: 'an integer ≥ 1', received: describeValue(version) },
  ]);
}
