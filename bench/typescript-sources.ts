// The TypeScript files under a folder: what the benches compile with esbuild so that their child processes run
// plain JavaScript (no tsx loader in the timed process).
import { readdirSync } from 'node:fs';
import path from 'node:path';

export function typescriptSources(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...typescriptSources(full));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}
