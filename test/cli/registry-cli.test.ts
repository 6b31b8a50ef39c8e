// `kiln models`, `kiln promote` and `kiln rollback` as child processes of the real CLI (through tsx), in a fresh
// project folder whose registry the test fills through the library.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openRegistry } from '../../src/registry/index.js';
import { backends } from '../core/db/backends.js';
import { sampleArtifact } from '../registry/stores.js';
import { type CliResult, runKiln } from '../helpers/cli.js';


type Result = CliResult;
const kiln = (cwd: string, ...args: string[]): Promise<Result> => runKiln(cwd, args);
const kilnWith = (env: NodeJS.ProcessEnv, cwd: string, ...args: string[]): Promise<Result> => runKiln(cwd, args, { env });

/** A failure is one clear message (and hint), never a stack trace. */
function assertCleanError(r: Result, code: number, pattern: RegExp): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

describe('kiln models / promote / rollback', () => {
  let project: string;

  before(async () => {
    project = mkdtempSync(path.join(tmpdir(), 'kiln-cli-registry-'));
    const store = await openRegistry({ projectDir: project, env: {} });
    try {
      for (let i = 1; i <= 3; i++) {
        await store.register({
          name: 'churn',
          artifact: sampleArtifact(i),
          lineage: { runId: `run-${i}`, metrics: { roc_auc: 0.9 + i / 100 }, params: { rounds: 100 * i } },
          by: 'ada',
        });
      }
      await store.register({ name: 'fraud', artifact: sampleArtifact(9) });
    } finally {
      await store.close();
    }
  });
  after(() => rmSync(project, { recursive: true, force: true }));

  test('in a folder without a registry: models says so, promote fails clearly, nothing is created', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'kiln-cli-empty-'));
    try {
      const list = await kiln(empty, 'models');
      assert.equal(list.code, 0);
      assert.match(list.stdout, /No models registered yet/);
      assertCleanError(await kiln(empty, 'promote', 'churn', '1', '--alias', 'champion'), 1, /there is no model registry here/);
      assert.equal(existsSync(path.join(empty, '.kiln')), false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  test('models lists every model (table and --json)', async () => {
    const table = await kiln(project, 'models');
    assert.equal(table.code, 0, table.stderr);
    assert.match(table.stdout, /churn\s*│\s*3\s*│\s*3/);
    assert.match(table.stdout, /fraud\s*│\s*1\s*│\s*1/);
    const json = await kiln(project, 'models', '--json');
    const parsed = JSON.parse(json.stdout) as { models: { name: string; latestVersion: number }[] };
    assert.deepEqual(parsed.models.map((m) => [m.name, m.latestVersion]), [
      ['churn', 3],
      ['fraud', 1],
    ]);
  });

  test('promote, promote again, rollback, and the history and version views show it', async () => {
    const p1 = await kiln(project, 'promote', 'churn', '1', '--alias', 'champion');
    assert.equal(p1.code, 0, p1.stderr);
    assert.equal(p1.stdout.trim(), 'churn@champion → version 1 (new alias)');
    const p2 = await kiln(project, 'promote', 'models:/churn/3', '--alias', 'champion');
    assert.equal(p2.stdout.trim(), 'churn@champion → version 3 (was version 1)');
    const same = await kiln(project, 'promote', 'churn@champion', '--alias', 'champion');
    assert.match(same.stdout, /already points at version 3; nothing changed/);
    const rb = await kiln(project, 'rollback', 'churn', '--alias', 'champion', '--json');
    assert.equal(rb.code, 0, rb.stderr);
    const change = JSON.parse(rb.stdout) as { action: string; fromVersion: number; toVersion: number; by: string; changed: boolean };
    assert.deepEqual([change.action, change.fromVersion, change.toVersion, change.by, change.changed], ['rollback', 3, 1, 'cli-tester', true]);

    const view = await kiln(project, 'models', 'churn', '--history', '--json');
    const shown = JSON.parse(view.stdout) as {
      model: { aliases: Record<string, number> };
      versions: { version: number; aliases: string[]; lineage: { runId: string } }[];
      history: { action: string; fromVersion: number | null; toVersion: number | null; by: string }[];
    };
    assert.deepEqual(shown.model.aliases, { champion: 1 });
    assert.deepEqual(shown.versions.map((v) => [v.version, v.lineage.runId, v.aliases]), [
      [3, 'run-3', []],
      [2, 'run-2', []],
      [1, 'run-1', ['champion']],
    ]);
    assert.deepEqual(shown.history.map((e) => [e.action, e.fromVersion, e.toVersion, e.by]), [
      ['promote', null, 1, 'cli-tester'],
      ['promote', 1, 3, 'cli-tester'],
      ['rollback', 3, 1, 'cli-tester'],
    ]);
    const text = await kiln(project, 'models', 'churn', '--history');
    assert.match(text.stdout, /churn: 3 versions, created .* by ada/);
    assert.match(text.stdout, /champion\s*│\s*rollback\s*│\s*3\s*│\s*1\s*│\s*cli-tester/);

    const version = await kiln(project, 'models', 'churn@champion');
    assert.equal(version.code, 0, version.stderr);
    assert.match(version.stdout, /model\s+churn version 1/);
    assert.match(version.stdout, /run\s+run-1/);
    assert.match(version.stdout, /metrics\s+roc_auc=0\.91/);
    assert.match(version.stdout, /sha256\s+[0-9a-f]{64}/);

    // nothing earlier than version 1: a clear conflict, exit 1
    assertCleanError(await kiln(project, 'rollback', 'churn', '--alias', 'champion'), 1, /has no earlier version to roll back to[\s\S]*hint\s+point it at a version explicitly/);
  });

  test('unknown names, versions and aliases, and bad input, are one clear message each', async () => {
    assertCleanError(await kiln(project, 'promote', 'nope', '1', '--alias', 'champion'), 1, /no model named "nope" in the registry/);
    assertCleanError(await kiln(project, 'promote', 'churn', '9', '--alias', 'champion'), 1, /model "churn" has no version 9 \(versions 1 to 3\)/);
    assertCleanError(await kiln(project, 'promote', 'churn', 'x', '--alias', 'champion'), 1, /version "x" is not a version number/);
    assertCleanError(await kiln(project, 'promote', 'churn/2', '3', '--alias', 'champion'), 1, /either a model name and a version, or a reference/);
    assertCleanError(await kiln(project, 'promote', 'churn', '1', '--alias', 'latest'), 1, /alias "latest" is not valid/);
    assertCleanError(await kiln(project, 'models', 'churn@nope'), 1, /model "churn" has no alias "nope"/);
    assertCleanError(await kiln(project, 'models', '../etc'), 1, /model reference "..\/etc" is not valid/);
    assertCleanError(await kiln(project, 'rollback', 'fraud', '--alias', 'champion'), 1, /model "fraud" has no alias "champion"/);
    assertCleanError(await kiln(project, 'rollback', 'a/b', '--alias', 'champion'), 1, /model name "a\/b" is not valid: it contains a path separator/);
    // a missing required option is a usage error (exit 2), reported by the argument parser
    assertCleanError(await kiln(project, 'promote', 'churn', '1'), 2, /required option '--alias <alias>' not specified/);
  });
});

const postgres = backends.find((b) => b.name === 'postgres')!;
test('KILN_DATABASE_URL=postgres://… moves the CLI to PostgreSQL (artifacts in the database)', { skip: postgres.skip }, async () => {
  const t = await postgres.open();
  try {
    const store = await openRegistry({ db: t.db, projectDir: t.dir, env: {} });
    await store.register({ name: 'churn', artifact: sampleArtifact(1) });
    await store.register({ name: 'churn', artifact: sampleArtifact(2) });
    const env = { KILN_DATABASE_URL: t.url };
    const promoted = await kilnWith(env, t.dir, 'promote', 'churn', '2', '--alias', 'champion');
    assert.equal(promoted.code, 0, promoted.stderr);
    const listed = JSON.parse((await kilnWith(env, t.dir, 'models', '--json')).stdout) as { registry: string; models: { aliases: object }[] };
    assert.match(listed.registry, /^postgres:.*\(artifacts: in the database\)$/);
    assert.deepEqual(listed.models[0].aliases, { champion: 2 });
    assert.equal((await store.load('churn@champion')).version.version, 2);
    assert.equal(existsSync(path.join(t.dir, '.kiln')), false, 'nothing written to the project folder');
  } finally {
    await t.cleanup();
  }
});
