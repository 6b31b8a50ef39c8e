#!/usr/bin/env node
// Runs the test suite with Node's own runner, TypeScript loaded through tsx.
//   npm test                      every test/**/*.test.ts
//   npm test -- test/data         only files under a folder (or matching a substring)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

function collect(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...collect(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const filters = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const passThrough = process.argv.slice(2).filter((a) => a.startsWith('--'));
let files = collect('test');
if (filters.length) files = files.filter((f) => filters.some((p) => f.includes(p.replace(/^\.\//, ''))));
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', '--test-timeout=600000', ...passThrough, ...files],
  { stdio: 'inherit', env: { ...process.env, KILN_TEST: '1' } },
);
process.exit(result.status ?? 1);
