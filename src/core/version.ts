// Kiln's own version, read from package.json (two folders up from both src/core and dist/core).
import { createRequire } from 'node:module';

const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
export const KILN_VERSION: string = pkg.version;
