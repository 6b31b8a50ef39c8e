// A registration process for the crash test (registry-crash.test.ts): boots, waits for "go" on stdin, opens the
// registry and registers versions (promoting every third to champion) until it is killed. After each commit it
// prints an acknowledgement the parent holds the registry to:
//   booted · opened · ok <version> <seed> <size> · alias champion <version>
// usage: node --import tsx crash-child.ts <projectDir> <seedBase> [registry url]

import { openRegistry } from '../../src/registry/index.js';
import { sampleArtifact } from './stores.js';

const [projectDir, seedBaseText, url] = process.argv.slice(2);
const seedBase = Number(seedBaseText);
const say = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

// load the database driver now (the registry imports it lazily) so "go" → "opened" is short and most kills land
// in registrations rather than in module loading
await (url ? import('pg') : import('better-sqlite3'));
say('booted');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
process.stdin.pause();
const store = await openRegistry({ projectDir, url, env: {} });
say('opened');
// bounded, so a child whose parent died does not run forever
for (let i = 0; i < 500; i++) {
  const seed = seedBase + i;
  // 16 to ~8k floats: from a few hundred bytes to ~64 KB, so kills land inside file writes too
  const size = 16 + ((seed * 2654435761) % 8192);
  const v = await store.register({ name: 'churn', artifact: sampleArtifact(seed, size), lineage: { metrics: { seed } }, by: 'crash-test' });
  say(`ok ${v.version} ${seed} ${size}`);
  if (v.version % 3 === 0) {
    await store.promote(`churn/${v.version}`, 'champion', { by: 'crash-test' });
    say(`alias champion ${v.version}`);
  }
}
await store.close();
