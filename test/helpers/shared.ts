// Where the shared material lives (datasets and the reference scripts). A clean clone in CI may sit anywhere, so
// look in order: KILN_SHARED, the folder beside the repository, then the workplace's fixed location.
import { existsSync } from 'node:fs';
import path from 'node:path';

const REPO = path.resolve(import.meta.dirname, '../..');
const CANDIDATES = [process.env.KILN_SHARED, path.resolve(REPO, '../shared'), '/work/shared'].filter((p): p is string => !!p);

export const SHARED_DIR: string = CANDIDATES.find((p) => existsSync(path.join(p, 'datasets'))) ?? CANDIDATES[0];
export const DATASETS_DIR: string = process.env.KILN_DATASETS ?? path.join(SHARED_DIR, 'datasets');
export const SHARED_BENCH_DIR: string = path.join(SHARED_DIR, 'bench');
