// Crash safety, as issue 5 asks: a registration process is killed with SIGKILL at random points 50 times; after
// every kill the registry must open, list only complete versions (each loads, sha256-verified, with exactly the
// content that was sent), keep every acknowledged version and alias, and after cleanOrphans hold no stray files.
// The default setup (SQLite + artifact files) gets the 50 kills; PostgreSQL (artifacts in the database) gets 10.
//
// Children boot (tsx start-up) one ahead, so the next one is ready while the previous is being killed; each waits
// for "go" before opening the registry. One kill in ten comes 0–30 ms after "go" (while opening, the first time
// while creating the tables); the others come 0–60 ms after the registry is open, i.e. among registrations, which
// take a few ms each (artifact file written and fsynced, then the transaction).

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { encodeArtifact } from '../../src/core/artifact.js';
import { openDb } from '../../src/core/db/index.js';
import { Rng } from '../../src/core/rng.js';
import { openRegistry } from '../../src/registry/index.js';
import { backends } from '../core/db/backends.js';
import { sampleArtifact } from './stores.js';

const MAX_DELAY_MS = 60;
const OPEN_KILL_SHARE = 0.1;
const MAX_OPEN_DELAY_MS = 30;
const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

interface Child {
  proc: ChildProcess;
  lines: string[];
  booted: Promise<void>;
  opened: Promise<void>;
  exited: Promise<void>;
}

function spawnChild(projectDir: string, seedBase: number, url: string | undefined): Child {
  const proc = spawn(process.execPath, ['--import', TSX, CHILD, projectDir, String(seedBase), ...(url ? [url] : [])], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, KILN_DATABASE_URL: '', KILN_ARTIFACTS: '' },
  });
  const lines: string[] = [];
  let buffered = '';
  let onBoot!: () => void;
  let onOpen!: () => void;
  const booted = new Promise<void>((resolve) => (onBoot = resolve));
  const opened = new Promise<void>((resolve) => (onOpen = resolve));
  proc.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    for (const line of parts) {
      lines.push(line);
      if (line === 'booted') onBoot();
      if (line === 'opened') onOpen();
    }
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  // a child that dies early must not hang the test (the checks then fail)
  exited.then(() => {
    onBoot();
    onOpen();
  });
  return { proc, lines, booted, opened, exited };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function crashLoop(t: TestContext, kills: number, url?: string): Promise<void> {
  const projectDir = mkdtempSync(path.join(tmpdir(), 'kiln-crash-'));
  const open = () => openRegistry({ projectDir, url, env: {} });
  const seed = Number(process.env.KILN_CRASH_SEED ?? Date.now() % 1_000_000);
  t.diagnostic(`delay seed ${seed} (set KILN_CRASH_SEED to repeat the same delays)`);
  const rng = new Rng(seed);
  /** version → seed and size, from acknowledgements (each printed after its commit) */
  const acked = new Map<number, { seed: number; size: number }>();
  let lastAckedChampion = 0;
  let verified = 0;
  const stats = { killedBeforeOpen: 0, killedWithNoAck: 0 };
  try {
    let next: Child | undefined = spawnChild(projectDir, 0, url);
    for (let kill = 0; kill < kills; kill++) {
      const child: Child = next!;
      await child.booted;
      assert.equal(child.proc.exitCode, null, 'a child died while booting');
      next = kill + 1 < kills ? spawnChild(projectDir, (kill + 1) * 1000, url) : undefined;
      child.proc.stdin!.write('go\n');
      if (rng.next() < OPEN_KILL_SHARE) {
        await sleep(rng.next() * MAX_OPEN_DELAY_MS);
      } else {
        await child.opened;
        await sleep(rng.next() * MAX_DELAY_MS);
      }
      child.proc.kill('SIGKILL');
      await child.exited;

      let acks = 0;
      for (const line of child.lines) {
        const [word, a, b, c] = line.split(' ');
        if (word === 'ok') {
          acked.set(Number(a), { seed: Number(b), size: Number(c) });
          acks++;
        } else if (word === 'alias') lastAckedChampion = Math.max(lastAckedChampion, Number(b));
      }
      if (!child.lines.includes('opened')) stats.killedBeforeOpen++;
      if (acks === 0) stats.killedWithNoAck++;

      // the registry opens and lists only complete versions
      const store = await open();
      try {
        const versions = await store.listVersions('churn').catch((e: { code?: string }) => {
          if (e.code === 'E_NOT_FOUND' && acked.size === 0) return [];
          throw e;
        });
        const numbers = versions.map((v) => v.version).sort((x, y) => x - y);
        // gap-free: an interrupted registration rolls back whole, so no number is ever skipped
        assert.deepEqual(numbers, numbers.map((_, i) => i + 1));
        for (const [version] of acked) assert.ok(numbers.includes(version), `acknowledged version ${version} is missing`);
        // every version not yet verified loads, hash-checked, with exactly the bytes its registration sent
        for (const v of versions) {
          if (v.version <= verified) continue;
          const { artifact } = await store.load(`churn/${v.version}`);
          const { bytes } = await store.loadBytes(`churn/${v.version}`);
          const sent = { seed: Number(artifact.meta.seed), size: (artifact.arrays.weights as Float64Array).length };
          assert.deepEqual(new Uint8Array(bytes), encodeArtifact(sampleArtifact(sent.seed, sent.size)));
          const ack = acked.get(v.version);
          if (ack) assert.deepEqual(sent, ack);
          verified = Math.max(verified, v.version);
        }
        if (lastAckedChampion > 0) {
          const champion = await store.resolve('churn@champion');
          assert.ok(champion.version >= lastAckedChampion, `champion went back from ${lastAckedChampion} to ${champion.version}`);
        }
      } finally {
        await store.close();
      }
    }

    // after all the crashes: cleaning leaves exactly the referenced artifacts, and everything still loads
    const store = await open();
    try {
      const { removed } = await store.cleanOrphans({ olderThanMs: 0 });
      const versions = await store.listVersions('churn');
      assert.equal(removed.filter((f) => f.startsWith('db:')).length, 0, 'a blob outlived its transaction');
      if (!url) {
        const files = (await fs.readdir(path.join(projectDir, '.kiln', 'artifacts'), { recursive: true })).filter((f) => !/^[0-9a-f]{2}$/.test(f));
        assert.deepEqual(files.map((f) => path.basename(f)).sort(), [...new Set(versions.map((v) => `${v.sha256}.kiln`))].sort());
      }
      for (const v of versions) await store.load(`churn/${v.version}`);
      t.diagnostic(
        `${versions.length} versions survived ${kills} kills (${acked.size} acknowledged before the kill); ` +
          `kills before "opened": ${stats.killedBeforeOpen}; kills with no acknowledgement: ${stats.killedWithNoAck}; ` +
          `left behind by kills and cleaned: ${removed.filter((f) => f.endsWith('.tmp')).length} temp files (killed mid-write), ` +
          `${removed.filter((f) => f.endsWith('.kiln')).length} complete but unreferenced artifacts (killed between fsync and commit)`,
      );
    } finally {
      await store.close();
    }
  } finally {
    rmSync(projectDir, { recursive: true, force: true });
  }
}

test('SQLite + files: registration survives SIGKILL at random points (50 kills)', (t) => crashLoop(t, 50));

const postgres = backends.find((b) => b.name === 'postgres')!;
test('PostgreSQL: registration survives SIGKILL at random points (10 kills)', { skip: postgres.skip }, async (t) => {
  const base = process.env.KILN_TEST_POSTGRES_URL;
  if (!base) throw new Error('KILN_TEST_POSTGRES_URL must be set when CI=true');
  const schema = `kiln_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
  try {
    await crashLoop(t, 10, `${base}${base.includes('?') ? '&' : '?'}schema=${schema}`);
  } finally {
    const admin = await openDb(base);
    await admin.script(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).finally(() => admin.close());
  }
});
