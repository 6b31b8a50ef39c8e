// The registry Store suite: the same tests on every backend and artifact placement (see stores.ts).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { encodeArtifact } from '../../src/core/artifact.js';
import { KilnError, ModelFormatError, NotFoundError, ValidationError } from '../../src/core/errors.js';
import { KILN_VERSION } from '../../src/core/version.js';
import { watchRegistry, type Store } from '../../src/registry/index.js';
import { sampleArtifact, storeVariants, type StoreVariant, type TestRegistry } from './stores.js';

async function withRegistry(variant: StoreVariant, fn: (t: TestRegistry) => Promise<void>): Promise<void> {
  const t = await variant.open();
  try {
    await fn(t);
  } finally {
    await t.cleanup();
  }
}

const errorWith = (ctor: new (...args: never[]) => Error, pattern: RegExp) => (e: unknown) => {
  assert.ok(e instanceof ctor, `expected ${ctor.name}, got ${String(e)}`);
  assert.match((e as Error).message, pattern);
  return true;
};

async function registerSeveral(store: Store, name: string, count: number): Promise<void> {
  for (let i = 1; i <= count; i++) await store.register({ name, artifact: sampleArtifact(i), by: 'tester' });
}

for (const variant of storeVariants) {
  describe(`registry on ${variant.name}`, { skip: variant.skip }, () => {
    test('register numbers versions per model and keeps lineage, signature and sha256', () =>
      withRegistry(variant, async ({ store }) => {
        const artifact = sampleArtifact(1);
        const v1 = await store.register({
          name: 'churn',
          artifact,
          description: 'first try',
          lineage: { runId: 'run-7', dataFingerprint: { sha256: 'abc', rows: 100 }, metrics: { roc_auc: 0.91 }, params: { rounds: 300 } },
          by: 'ada',
        });
        const bytes = encodeArtifact(artifact);
        assert.equal(v1.name, 'churn');
        assert.equal(v1.version, 1);
        assert.equal(v1.kind, 'test.model');
        assert.equal(v1.sha256, createHash('sha256').update(bytes).digest('hex'));
        assert.equal(v1.sizeBytes, bytes.length);
        assert.deepEqual(v1.signature, artifact.meta.signature);
        assert.equal(v1.description, 'first try');
        assert.equal(v1.lineage.runId, 'run-7');
        assert.deepEqual(v1.lineage.dataFingerprint, { sha256: 'abc', rows: 100 });
        assert.deepEqual(v1.lineage.metrics, { roc_auc: 0.91 });
        assert.deepEqual(v1.lineage.params, { rounds: 300 });
        assert.equal(v1.lineage.kilnVersion, KILN_VERSION);
        assert.equal(v1.lineage.createdBy, 'ada');
        assert.ok(Math.abs(Date.parse(v1.lineage.createdAt) - Date.now()) < 60_000);

        const v2 = await store.register({ name: 'churn', artifact: sampleArtifact(2), signature: { custom: true } });
        assert.equal(v2.version, 2);
        assert.deepEqual(v2.signature, { custom: true });
        assert.equal(v2.lineage.runId, null);
        assert.deepEqual(v2.lineage.metrics, {});
        const other = await store.register({ name: 'fraud.v2', artifact: sampleArtifact(3) });
        assert.equal(other.version, 1);

        const models = await store.listModels();
        assert.deepEqual(
          models.map((m) => [m.name, m.latestVersion, m.versionCount]),
          [
            ['churn', 2, 2],
            ['fraud.v2', 1, 1],
          ],
        );
        assert.deepEqual((await store.listVersions('churn')).map((v) => v.version), [2, 1]);
        assert.equal((await store.getModel('churn')).createdBy, 'ada');
      }));

    test('every reference form resolves; load returns the same artifact, verified', () =>
      withRegistry(variant, async ({ store }) => {
        await registerSeveral(store, 'churn', 3);
        await store.promote('churn/2', 'champion');
        const cases: [string, number][] = [
          ['churn', 3],
          ['churn/latest', 3],
          ['churn/1', 1],
          ['models:/churn/2', 2],
          ['churn@champion', 2],
          ['models:/churn@champion', 2],
          ['models:/churn', 3],
        ];
        for (const [ref, version] of cases) assert.equal((await store.resolve(ref)).version, version, ref);
        assert.equal((await store.resolve({ kind: 'version', name: 'churn', version: 1 })).version, 1);
        const { version, artifact } = await store.load('churn@champion');
        assert.equal(version.version, 2);
        assert.deepEqual(version.aliases, ['champion']);
        const expected = sampleArtifact(2);
        assert.equal(artifact.kind, expected.kind);
        assert.deepEqual(artifact.meta, expected.meta);
        assert.deepEqual(artifact.arrays.weights, expected.arrays.weights);
        assert.deepEqual(artifact.arrays.codes, expected.arrays.codes);
        const { bytes } = await store.loadBytes('churn/3');
        assert.deepEqual(new Uint8Array(bytes), encodeArtifact(sampleArtifact(3)));
      }));

    test('encoded bytes are accepted and validated; invalid bytes register nothing', () =>
      withRegistry(variant, async ({ store }) => {
        const v = await store.register({ name: 'churn', artifact: encodeArtifact(sampleArtifact(5)) });
        assert.equal(v.version, 1);
        assert.deepEqual(v.signature, sampleArtifact(5).meta.signature);
        const before = await store.revision();
        const damaged = encodeArtifact(sampleArtifact(6));
        damaged[damaged.length - 40] ^= 0xff;
        await assert.rejects(store.register({ name: 'churn', artifact: damaged }), errorWith(ModelFormatError, /artifact for "churn": checksum mismatch/));
        await assert.rejects(store.register({ name: 'other', artifact: new Uint8Array(10) }), ModelFormatError);
        assert.equal(await store.revision(), before);
        assert.deepEqual((await store.listModels()).map((m) => m.name), ['churn']);
      }));

    test('bad names, aliases and references are refused with the reason, before touching storage', () =>
      withRegistry(variant, async ({ store, artifactsDir }) => {
        const bad: [string, RegExp][] = [
          ['../etc', /model name "..\/etc" is not valid: it contains a path separator/],
          ['a/b', /path separator/],
          ['a\\b', /path separator/],
          ['', /it is empty/],
          ['.hidden', /must start with a letter or a digit/],
          ['a..b', /contains "\.\."/],
          ['x'.repeat(101), /101 characters long \(at most 100\)/],
          ['sp ace', /may only contain letters, digits/],
        ];
        for (const [name, pattern] of bad) {
          await assert.rejects(store.register({ name, artifact: sampleArtifact(1) }), errorWith(ValidationError, pattern), name);
        }
        await store.register({ name: 'ok', artifact: sampleArtifact(1) });
        await assert.rejects(store.promote('ok/1', 'latest'), errorWith(ValidationError, /alias "latest" is not valid/));
        await assert.rejects(store.promote('ok/1', 'v2'), errorWith(ValidationError, /reads like a version number/));
        await assert.rejects(store.promote('ok/1', '9lives'), errorWith(ValidationError, /must start with a letter/));
        await assert.rejects(store.resolve('ok/abc'), errorWith(ValidationError, /model reference "ok\/abc" is not valid: "abc" after "\/" is not a version/));
        await assert.rejects(store.resolve('ok/0'), errorWith(ValidationError, /versions are whole numbers from 1/));
        await assert.rejects(store.resolve('ok@x/1'), errorWith(ValidationError, /either @alias or \/version/));
        await assert.rejects(store.resolve('models:/../x'), errorWith(ValidationError, /model reference "models:\/..\/x" is not valid/));
        if (variant.artifacts === 'file') {
          const entries = await fs.readdir(artifactsDir, { recursive: true });
          assert.equal(entries.filter((e) => e.endsWith('.kiln')).length, 1);
        }
      }));

    test('unknown models, versions and aliases are NotFoundErrors that say what exists', () =>
      withRegistry(variant, async ({ store }) => {
        await registerSeveral(store, 'churn', 2);
        await store.promote('churn/1', 'staging');
        await assert.rejects(store.resolve('nope'), errorWith(NotFoundError, /no model named "nope" in the registry/));
        await assert.rejects(store.resolve('churn/9'), errorWith(NotFoundError, /model "churn" has no version 9 \(versions 1 to 2\)/));
        await assert.rejects(store.load('churn@champion'), (e: unknown) => {
          assert.ok(e instanceof NotFoundError);
          assert.match(e.message, /model "churn" has no alias "champion"/);
          assert.match(e.hint ?? '', /its aliases: staging/);
          return true;
        });
        await assert.rejects(store.promote('churn/5', 'champion'), errorWith(NotFoundError, /no version 5/));
        await assert.rejects(store.listVersions('nope'), NotFoundError);
        await assert.rejects(store.getModel('nope'), NotFoundError);
        await assert.rejects(store.rollback('nope', 'champion'), NotFoundError);
        await assert.rejects(store.rollback('churn', 'champion'), errorWith(NotFoundError, /no alias "champion"/));
        await assert.rejects(store.removeAlias('churn', 'champion'), NotFoundError);
        await assert.rejects(store.aliasHistory('nope'), NotFoundError);
      }));

    test('aliases: promote, history with who and when, rollback as an undo stack, delete', () =>
      withRegistry(variant, async ({ store }) => {
        await registerSeveral(store, 'churn', 3);
        const first = await store.promote('churn/1', 'champion', { by: 'ada' });
        assert.deepEqual([first.action, first.fromVersion, first.toVersion, first.by, first.changed], ['promote', null, 1, 'ada', true]);
        await store.promote('churn/2', 'champion', { by: 'bob' });
        await store.promote('churn', 'champion', { by: 'cy' }); // latest = 3
        assert.equal((await store.resolve('churn@champion')).version, 3);
        const same = await store.promote('churn/3', 'champion');
        assert.equal(same.changed, false);

        const back = await store.rollback('churn', 'champion', { by: 'dee' });
        assert.deepEqual([back.action, back.fromVersion, back.toVersion, back.by], ['rollback', 3, 2, 'dee']);
        assert.equal((await store.rollback('churn', 'champion')).toVersion, 1);
        await assert.rejects(store.rollback('churn', 'champion'), (e: unknown) => {
          assert.ok(e instanceof KilnError && e.code === 'E_CONFLICT');
          assert.match(e.message, /alias "champion" of "churn" has no earlier version to roll back to \(it was created pointing at version 1 by ada/);
          return true;
        });
        assert.equal((await store.resolve('churn@champion')).version, 1);

        // promote from another alias; delete; rollback restores the deleted alias
        await store.promote('churn/3', 'staging');
        await store.promote('churn@staging', 'champion');
        assert.equal((await store.resolve('churn@champion')).version, 3);
        const removed = await store.removeAlias('churn', 'staging');
        assert.deepEqual([removed.action, removed.fromVersion, removed.toVersion], ['delete', 3, null]);
        await assert.rejects(store.resolve('churn@staging'), NotFoundError);
        assert.equal((await store.rollback('churn', 'staging')).toVersion, 3);

        const history = await store.aliasHistory('churn', 'champion');
        assert.deepEqual(
          history.map((e) => [e.action, e.fromVersion, e.toVersion]),
          [
            ['promote', null, 1],
            ['promote', 1, 2],
            ['promote', 2, 3],
            ['rollback', 3, 2],
            ['rollback', 2, 1],
            ['promote', 1, 3],
          ],
        );
        assert.deepEqual(history.slice(0, 3).map((e) => e.by), ['ada', 'bob', 'cy']);
        assert.ok(history.every((e, i) => i === 0 || e.revision > history[i - 1].revision));
        assert.equal((await store.aliasHistory('churn')).length, 9);
        assert.deepEqual((await store.getModel('churn')).aliases, { champion: 3, staging: 3 });
        assert.deepEqual((await store.resolve('churn/3')).aliases, ['champion', 'staging']);
      }));

    test('aliases given at registration are set in the same transaction', () =>
      withRegistry(variant, async ({ store }) => {
        await store.register({ name: 'churn', artifact: sampleArtifact(1), aliases: ['champion'] });
        const v2 = await store.register({ name: 'churn', artifact: sampleArtifact(2), aliases: ['champion', 'staging'] });
        assert.deepEqual(v2.aliases, ['champion', 'staging']);
        assert.equal((await store.rollback('churn', 'champion')).toVersion, 1);
        await assert.rejects(store.register({ name: 'churn', artifact: sampleArtifact(3), aliases: ['latest'] }), ValidationError);
        assert.equal((await store.getModel('churn')).latestVersion, 2);
      }));

    test('the revision grows with every change and only then; watchRegistry reports it', () =>
      withRegistry(variant, async ({ store, reopen }) => {
        const r0 = await store.revision();
        await store.register({ name: 'churn', artifact: sampleArtifact(1) });
        await store.register({ name: 'churn', artifact: sampleArtifact(2) });
        const r1 = await store.revision();
        assert.equal(r1, r0 + 2);
        await store.listModels();
        await store.load('churn');
        assert.equal(await store.revision(), r1);

        const seen: number[] = [];
        let notify!: () => void;
        const changed = new Promise<void>((resolve) => (notify = resolve));
        const watch = watchRegistry(
          store,
          (revision) => {
            seen.push(revision);
            notify();
          },
          { intervalMs: 10 },
        );
        try {
          assert.equal(await watch.ready, r1);
          // the change comes from another handle, as from `kiln promote` in another process
          const other = await reopen();
          const change = await other.promote('churn/1', 'champion');
          await other.close();
          assert.equal(change.revision, r1 + 1);
          // the watch timer is unref'd (it must not keep a server alive); hold the event loop open while waiting
          const keepAlive = setInterval(() => undefined, 1000);
          await changed.finally(() => clearInterval(keepAlive));
          assert.deepEqual(seen, [r1 + 1]);
        } finally {
          watch.stop();
        }
      }));

    test('a damaged or missing artifact is a clear ModelFormatError, never a crash', () =>
      withRegistry(variant, async ({ store, database, artifactsDir }) => {
        const v = await store.register({ name: 'churn', artifact: sampleArtifact(1) });
        if (variant.artifacts === 'file') {
          const file = path.join(artifactsDir, v.sha256.slice(0, 2), `${v.sha256}.kiln`);
          const bytes = await fs.readFile(file);
          bytes[100] ^= 1;
          await fs.writeFile(file, bytes);
          await assert.rejects(store.load('churn'), errorWith(ModelFormatError, /the artifact of churn\/1 is damaged: its sha256 is [0-9a-f]{12}…, the registry recorded/));
          await fs.rm(file);
          await assert.rejects(store.load('churn/1'), errorWith(ModelFormatError, /the artifact of churn\/1 is missing/));
        } else {
          await database.db.exec('UPDATE registry_artifacts SET bytes = $1 WHERE sha256 = $2', [new Uint8Array([1, 2, 3]), v.sha256]);
          await assert.rejects(store.load('churn'), errorWith(ModelFormatError, /is damaged/));
        }
        // metadata stays readable so an operator can see what is wrong
        assert.equal((await store.resolve('churn')).sha256, v.sha256);
      }));

    test('identical artifacts are stored once and both versions load', () =>
      withRegistry(variant, async ({ store, artifactsDir }) => {
        const a = await store.register({ name: 'one', artifact: sampleArtifact(1) });
        const b = await store.register({ name: 'two', artifact: sampleArtifact(1) });
        assert.equal(a.sha256, b.sha256);
        assert.equal((await store.load('one')).artifact.kind, 'test.model');
        assert.equal((await store.load('two')).artifact.kind, 'test.model');
        if (variant.artifacts === 'file') {
          const files = (await fs.readdir(artifactsDir, { recursive: true })).filter((e) => e.endsWith('.kiln'));
          assert.equal(files.length, 1);
        }
      }));

    test('parallel registrations from two handles get distinct, gap-free versions', () =>
      withRegistry(variant, async ({ store, reopen }) => {
        const other = await reopen();
        try {
          const results = await Promise.all(
            Array.from({ length: 12 }, (_, i) => (i % 2 ? other : store).register({ name: 'churn', artifact: sampleArtifact(i + 1) })),
          );
          assert.deepEqual(results.map((v) => v.version).sort((x, y) => x - y), Array.from({ length: 12 }, (_, i) => i + 1));
          // each version holds the artifact its own registration sent
          for (const [i, v] of results.entries()) assert.equal((await other.load(`churn/${v.version}`)).artifact.meta.seed, i + 1);
        } finally {
          await other.close();
        }
      }));

    test('cleanOrphans removes temp files and unreferenced artifacts, keeps referenced and recent ones', () =>
      withRegistry(variant, async ({ store, artifactsDir }) => {
        const kept = await store.register({ name: 'churn', artifact: sampleArtifact(1) });
        const shard = path.join(artifactsDir, 'ab');
        await fs.mkdir(shard, { recursive: true });
        const orphan = path.join(shard, `ab${'0'.repeat(62)}.kiln`);
        const temp = path.join(shard, `.ab${'1'.repeat(62)}.kiln.123.deadbeef.tmp`);
        const foreign = path.join(shard, 'notes.txt');
        for (const f of [orphan, temp, foreign]) await fs.writeFile(f, 'x');
        assert.deepEqual((await store.cleanOrphans()).removed, []); // too recent under the default hour
        const { removed } = await store.cleanOrphans({ olderThanMs: 0 });
        assert.deepEqual(removed.sort(), [temp, orphan].sort());
        await fs.access(foreign);
        assert.equal((await store.load('churn')).version.sha256, kept.sha256);
      }));

    test('a reopened registry has everything; opening does not migrate again', () =>
      withRegistry(variant, async ({ store, reopen }) => {
        await registerSeveral(store, 'churn', 2);
        await store.promote('churn/2', 'champion');
        const again = await reopen();
        try {
          assert.equal((await again.resolve('churn@champion')).version, 2);
          assert.equal(await again.revision(), await store.revision());
        } finally {
          await again.close();
        }
      }));
  });
}
