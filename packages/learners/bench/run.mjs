// Benchmark of @ohmlab/learners against NumPy/SciPy: time per zero-nudge training step (all
// samples, all states) on Erdos-Renyi-like and grid circuits of 1e3, 1e4, 1e5 nodes with 1, 40,
// 256 samples. Each cell runs in its own process with a time cap. Writes
// <repo>/bench-results/learners.json and prints a table.
// Usage: node bench/run.mjs [--rules ep,cl] [--sizes 1000,10000,100000] [--samples 1,40,256] [--cap 150]
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchCircuit } from './circuits.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const rules = arg('rules', 'ep').split(',');
const sizes = arg('sizes', '1000,10000,100000').split(',').map(Number);
const sampleCounts = arg('samples', '1,40,256').split(',').map(Number);
const capSeconds = Number(arg('cap', '150'));
const tmp = mkdtempSync(join(tmpdir(), 'ohmlab-learners-bench-'));

function runCell(cmd, args) {
  try {
    const out = execFileSync(cmd, args, { cwd: here, timeout: capSeconds * 1000, encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out.trim().split('\n').at(-1));
  } catch (e) {
    return { error: e.killed || e.signal ? `capped: over ${capSeconds} s` : String(e.stderr || e.message).slice(0, 300) };
  }
}

const rows = [];
for (const rule of rules) {
  for (const kind of ['er', 'grid']) {
    for (const n of sizes) {
      for (const S of sampleCounts) {
        const c = benchCircuit(kind, n, S);
        const file = join(tmp, `${kind}-${n}-${S}.json`);
        writeFileSync(file, JSON.stringify(c));
        const reps = n >= 100000 ? 2 : n >= 10000 ? 3 : 7;
        const js = runCell(process.execPath, ['cell.mjs', file, rule, String(reps)]);
        const py = runCell('python3', ['scipy_step.py', file, rule, String(reps)]);
        let agree = null;
        if (js.contrast_head && py.contrast_head) {
          agree = Math.max(...js.contrast_head.map((v, i) => Math.abs(v - py.contrast_head[i]) / Math.max(1e-300, Math.abs(py.contrast_head[i]))));
        }
        const row = {
          rule, kind, nodes: c.nodeCount, edges: c.edgeFrom.length, samples: S,
          ohmlab_ms: js.median_ms ?? null, ohmlab_method: js.method ?? null, ohmlab_error: js.error ?? null,
          scipy_ms: py.median_ms ?? null, scipy_error: py.error ?? null,
          speedup: js.median_ms && py.median_ms ? py.median_ms / js.median_ms : null,
          contrast_rel_diff: agree,
        };
        rows.push(row);
        const f = (x) => (x == null ? '-' : x.toFixed(1));
        console.log(`${rule} ${kind.padEnd(4)} n=${String(c.nodeCount).padStart(6)} S=${String(S).padStart(3)}  ohmlab ${f(row.ohmlab_ms).padStart(9)} ms (${row.ohmlab_method ?? row.ohmlab_error})  scipy ${f(row.scipy_ms).padStart(9)} ms${row.scipy_error ? ` (${row.scipy_error})` : ''}  ratio ${row.speedup ? row.speedup.toFixed(2) : '-'}  diff ${agree == null ? '-' : agree.toExponential(1)}`);
        rmSync(file);
      }
    }
  }
}
rmSync(tmp, { recursive: true, force: true });
mkdirSync(join(repo, 'bench-results'), { recursive: true });
const result = {
  package: '@ohmlab/learners',
  measured: 'median wall time of one zero-nudge training step: factor(s) + free and clamped states for all samples (one RHS block each) + per-edge contrast',
  machine: `${process.platform} ${process.arch}, node ${process.version}`,
  capSeconds,
  date: new Date().toISOString(),
  rows,
};
writeFileSync(join(repo, 'bench-results', 'learners.json'), JSON.stringify(result, null, 2));
console.log(`wrote ${join(repo, 'bench-results', 'learners.json')}`);
