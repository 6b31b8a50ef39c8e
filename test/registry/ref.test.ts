// Model references and the name rules, without a database.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ValidationError } from '../../src/core/errors.js';
import { aliasProblem, formatModelRef, modelNameProblem, parseModelRef } from '../../src/registry/index.js';
import { rollbackTarget } from '../../src/registry/aliases.js';
import type { AliasEvent } from '../../src/registry/index.js';

test('every reference form parses, with or without models:/', () => {
  assert.deepEqual(parseModelRef('churn'), { kind: 'latest', name: 'churn' });
  assert.deepEqual(parseModelRef('churn/latest'), { kind: 'latest', name: 'churn' });
  assert.deepEqual(parseModelRef('churn/3'), { kind: 'version', name: 'churn', version: 3 });
  assert.deepEqual(parseModelRef('churn@champion'), { kind: 'alias', name: 'churn', alias: 'champion' });
  assert.deepEqual(parseModelRef('models:/churn@champion'), { kind: 'alias', name: 'churn', alias: 'champion' });
  assert.deepEqual(parseModelRef('models:/fraud.v2/12'), { kind: 'version', name: 'fraud.v2', version: 12 });
  assert.deepEqual(parseModelRef('models:/churn'), { kind: 'latest', name: 'churn' });
  for (const text of ['churn', 'churn/3', 'churn@champion']) assert.equal(formatModelRef(parseModelRef(text)), text);
});

test('bad references name the problem and the accepted forms', () => {
  const cases: [string, RegExp][] = [
    ['', /model reference "" is not valid: model name "" is not valid: it is empty/],
    ['churn/', /"" after "\/" is not a version number/],
    ['churn/-1', /"-1" after "\/" is not a version number/],
    ['churn/1/2', /"1\/2" after "\/" is not a version number/],
    ['churn@', /alias "" is not valid/],
    ['churn@a@b', /alias "a@b" is not valid/],
    ['../x/1', /model name "\.\." is not valid/],
    ['models:/', /it is empty/],
    ['a b', /may only contain/],
  ];
  for (const [text, pattern] of cases) {
    assert.throws(
      () => parseModelRef(text),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError, text);
        assert.match(e.message, pattern, text);
        assert.match(e.hint ?? '', /churn, churn\/3, churn@champion/);
        assert.deepEqual(e.issues[0].path, ['model']);
        return true;
      },
    );
  }
});

test('name and alias rules', () => {
  for (const ok of ['churn', 'Churn_2', 'fraud.v2', 'a-b', '7up', 'x'.repeat(100)]) assert.equal(modelNameProblem(ok), undefined, ok);
  for (const bad of ['', '.', '..', '.x', '-x', 'a..b', 'a/b', 'a\\b', 'a b', 'a@b', 'ü', 'x'.repeat(101), 'a\0b']) {
    assert.notEqual(modelNameProblem(bad), undefined, bad);
  }
  for (const ok of ['champion', 'prod-eu', 'staging_2', 'v', 'version2']) assert.equal(aliasProblem(ok), undefined, ok);
  for (const bad of ['', 'latest', 'LATEST', 'v3', '3', '_x', 'a.b', 'a/b', 'x'.repeat(64)]) assert.notEqual(aliasProblem(bad), undefined, bad);
});

test('rollback walks the history as an undo stack', () => {
  const e = (action: AliasEvent['action'], fromVersion: number | null, toVersion: number | null): AliasEvent => ({
    name: 'm',
    alias: 'a',
    action,
    fromVersion,
    toVersion,
    at: '',
    by: '',
    revision: 0,
  });
  assert.equal(rollbackTarget([]), undefined);
  assert.equal(rollbackTarget([e('promote', null, 1)]), null);
  assert.equal(rollbackTarget([e('promote', null, 1), e('promote', 1, 2)]), 1);
  assert.equal(rollbackTarget([e('promote', null, 1), e('promote', 1, 2), e('promote', 2, 3), e('rollback', 3, 2)]), 1);
  assert.equal(rollbackTarget([e('promote', null, 1), e('promote', 1, 2), e('delete', 2, null)]), 2);
  assert.equal(rollbackTarget([e('promote', null, 1), e('promote', 1, 2), e('rollback', 2, 1), e('promote', 1, 3)]), 1);
});
