// Times the reproduction per experiment (quick by default; `--full` for the full sizes).
// Prints a table and writes <repo>/bench-results/reproduce.json. Run after `pnpm build`.
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reproduce } from '../dist/index.js';

const full = process.argv.includes('--full');
const outDir = await mkdtemp(join(tmpdir(), 'ohmlab-bench-reproduce-'));
const t0 = performance.now();
const summary = await reproduce({ outDir, quick: !full, force: true });
const totalS = (performance.now() - t0) / 1000;
const rows = summary.experiments.map((e) => ({ experiment: e.id, seconds: +(e.durationMs / 1000).toFixed(2), claims: e.claims.length, failed: e.failed }));
console.table(rows);
console.log(`${full ? 'full' : 'quick'} reproduction: ${totalS.toFixed(1)} s total on ${cpus().length} CPUs; ${summary.claims.passed}/${summary.claims.total} claims pass; report ${summary.reportFile}`);
const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
await mkdir(join(repo, 'bench-results'), { recursive: true });
await writeFile(join(repo, 'bench-results', 'reproduce.json'), `${JSON.stringify({ mode: full ? 'full' : 'quick', totalSeconds: totalS, node: process.version, cpus: cpus().length, experiments: rows }, null, 2)}\n`);
