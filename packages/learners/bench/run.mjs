// Benchmark of @ohmlab/learners against NumPy/SciPy: time per zero-nudge training step (all
// samples, all states) on Erdos-Renyi-like and grid circuits of 1e3, 1e4, 1e5 nodes with 1, 40,
// 256 samples. Each cell runs in its own process with a time cap; SciPy does the same step with the
// same state strategy (bench/scipy_step.py). Writes <repo>/bench-results/learners.json, prints a table.
// Usage: node bench/run.mjs [--quick] [--rules ep,cl,al] [--strategy auto|response|direct]
//        [--sizes 1000,10000,100000] [--samples 1,40,256] [--outputs 2] [--kinds er,grid] [--cap 300]
//        [--no-scipy] [--out file.json]
// --quick: sizes 1000,10000 and a 60 s cap (about a minute on an idle machine).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCircuit } from './circuits.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const quick = process.argv.includes('--quick');
const noScipy = process.argv.includes('--no-scipy');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const rules = arg('rules', 'ep').split(',');
const strategy = arg('strategy', 'auto');
const sizes = arg('sizes', quick ? '1000,10000' : '1000,10000,100000').split(',').map(Number);
const sampleCounts = arg('samples', '1,40,256').split(',').map(Number);
const kinds = arg('kinds', 'er,grid').split(',');
const outputs = Number(arg('outputs', '2'));
const capSeconds = Number(arg('cap', quick ? '60' : '300'));
const outFile = arg('out', join(repo, 'bench-results', 'learners.json'));
const tmp = mkdtempSync(join(tmpdir(), 'ohmlab-learners-bench-'));

// One thread on both sides (Ohmlab's CPU backend is single-threaded): multithreaded BLAS in NumPy
// stalls on a shared, loaded machine (500 ms for a 1024 x 2 x 256 product, seen in one run).
const oneThread = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

function runCell(cmd, args) {
  try {
    const out = execFileSync(cmd, args, { cwd: here, env: oneThread, timeout: capSeconds * 1000, encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out.trim().split('\n').at(-1));
  } catch (e) {
    return { error: e.killed || e.signal ? `capped: over ${capSeconds} s` : String(e.stderr || e.message).slice(0, 300) };
  }
}

const f1 = (x) => (x == null ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(0));
const loadBefore = loadavg();
const rows = [];
for (const rule of rules) {
  for (const kind of kinds) {
    for (const n of sizes) {
      for (const S of sampleCounts) {
        const c = benchCircuit(kind, n, S, 1, outputs);
        const file = join(tmp, `${kind}-${n}-${S}.json`);
        writeFileSync(file, JSON.stringify(c));
        const reps = n >= 100000 ? 2 : n >= 10000 ? 5 : 9;
        const load = loadavg()[0];
        const js = runCell(process.execPath, ['--expose-gc', 'cell.mjs', file, rule, String(reps), strategy]);
        const pyStrategy = js.strategy ?? (strategy === 'auto' ? 'response' : strategy);
        const py = noScipy ? { error: 'skipped' } : runCell('python3', ['scipy_step.py', file, rule, String(reps), pyStrategy]);
        let agree = null;
        if (js.contrast_head && py.contrast_head) {
          agree = Math.max(...js.contrast_head.map((v, i) => Math.abs(v - py.contrast_head[i]) / Math.max(1e-300, Math.abs(py.contrast_head[i]))));
        }
        const row = {
          rule, kind, nodes: c.nodeCount, edges: c.edgeFrom.length, samples: S, outputs,
          strategy: js.strategy ?? null, method: js.method ?? null,
          ohmlab_ms: js.median_ms ?? null, ohmlab_min_ms: js.min_ms ?? null, solver_ms: js.solver_ms ?? null, overhead_ms: js.overhead_ms ?? null, min_overhead_ms: js.min_overhead_ms ?? null,
          factors: js.factors ?? null, solves: js.solves ?? null, rhs: js.rhs ?? null, ohmlab_error: js.error ?? null,
          scipy_ms: py.median_ms ?? null, scipy_min_ms: py.min_ms ?? null, scipy_strategy: py.strategy ?? null, scipy_error: py.error ?? null,
          scipy_over_ohmlab: js.median_ms && py.median_ms ? py.median_ms / js.median_ms : null,
          contrast_rel_diff: agree, load1: load,
        };
        rows.push(row);
        console.log(
          `${rule} ${kind.padEnd(4)} n=${String(c.nodeCount).padStart(6)} S=${String(S).padStart(3)}  ohmlab ${f1(row.ohmlab_ms).padStart(7)} ms ` +
            `(${row.method ?? row.ohmlab_error}, ${row.strategy ?? '-'}, outside solver ${f1(row.overhead_ms)} ms, min ${f1(row.min_overhead_ms)})  ` +
            `scipy ${f1(row.scipy_ms).padStart(7)} ms${row.scipy_error ? ` (${row.scipy_error})` : ''}  scipy/ohmlab ${row.scipy_over_ohmlab ? row.scipy_over_ohmlab.toFixed(2) : '-'}  ` +
            `diff ${agree == null ? '-' : agree.toExponential(1)}  load ${load.toFixed(1)}`,
        );
        rmSync(file);
      }
    }
  }
}
rmSync(tmp, { recursive: true, force: true });
mkdirSync(dirname(outFile), { recursive: true });
const result = {
  package: '@ohmlab/learners',
  measured:
    'median wall time of one zero-nudge training step: factorization(s), the rule\'s base and clamped states for all samples, per-edge contrast; ' +
    'solver_ms = time inside backend.factor/solve, overhead_ms = the rest (this package). SciPy: same step, same state strategy.',
  command: `node bench/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  machine: `${process.platform} ${process.arch}, ${cpus().length} cores, node ${process.version}`,
  loadBefore,
  loadAfter: loadavg(),
  capSeconds,
  date: new Date().toISOString(),
  rows,
};
writeFileSync(outFile, JSON.stringify(result, null, 2));
console.log(`wrote ${outFile}`);
