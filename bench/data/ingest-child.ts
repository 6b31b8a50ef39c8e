// One measured read, in its own process so its peak RSS is its own (as pandas' is in reference_ingest.py):
//   node --import tsx bench/data/ingest-child.ts FILE
// prints one JSON line: library, file, rows, cols, read_s, peak_rss_mb, and the read's phases.
import path from 'node:path';
import { KILN_VERSION } from '../../src/core/version.js';
import { readDataset } from '../../src/data/index.js';

const file = process.argv[2];
const started = performance.now();
const dataset = await readDataset(file);
const seconds = (performance.now() - started) / 1000;
process.stdout.write(
  `${JSON.stringify({
    library: `kiln ${KILN_VERSION}`,
    file: path.basename(file),
    rows: dataset.frame.nRows,
    cols: dataset.frame.nCols,
    read_s: Number(seconds.toFixed(4)),
    peak_rss_mb: Number((process.resourceUsage().maxRSS / 1024).toFixed(1)),
    phases: Object.fromEntries(Object.entries(dataset.source.phases).map(([k, v]) => [k, Number(v.toFixed(4))])),
    kinds: dataset.frame.schema().reduce<Record<string, number>>((acc, c) => ({ ...acc, [c.kind]: (acc[c.kind] ?? 0) + 1 }), {}),
  })}\n`,
);
