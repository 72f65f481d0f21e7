// Benchmark of @ohmlab/linalg-cpu (after `pnpm --filter @ohmlab/linalg-cpu build`): factor and
// solve times of the dense, sparse-cholesky, pcg and auto paths on Erdos-Renyi (mean degree 4) and
// 2-D grid circuits of 1e3, 1e4, 1e5 nodes, with 1 and 64 right-hand sides; then the scale checks
// (bench/scale.mjs under /usr/bin/time -v: ER 1e5 and a 1000 x 1000 grid). Prints a table and
// writes <repo>/bench-results/linalg-cpu.json.
// Usage: node bench/run.mjs [--quick] [--sizes 1000,10000,100000] [--kinds er,grid]
//        [--methods dense,sparse-cholesky,pcg,auto] [--no-scale] [--out file.json]
// --quick: sizes 1e3 and 1e4, fewer repetitions, no scale checks (about a minute).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearPlanCache, factorSync } from '../dist/index.js';
import { benchNetwork, benchRequest, fullRankBatch, sampleBatch } from './cases.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const arg = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const sizes = arg('sizes', quick ? '1000,10000' : '1000,10000,100000').split(',').map(Number);
const kinds = arg('kinds', 'er,grid').split(',');
const methods = arg('methods', 'dense,sparse-cholesky,pcg,auto').split(',');
const scale = !quick && !argv.includes('--no-scale');
const outFile = arg('out', join(repo, 'bench-results', 'linalg-cpu.json'));

/** Dense only where it fits (n^3/3 flops, 8 n^2 bytes): up to this many nodes. */
const DENSE_UP_TO = 4000;
/** Sparse Cholesky is skipped (reported as predicted) beyond this operation count. */
const SPARSE_FLOPS_UP_TO = 2e11;
/** Repeated factorizations stop after this much time (at least 3 are timed). */
const REPEAT_BUDGET_MS = 3000;
/** PCG blocks of 64 are not timed where one right-hand side already takes longer than this. */
const PCG_SLOW_MS = 1000;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function timed(fn) {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
}

function cell(kind, n, method) {
  const network = benchNetwork(kind, n);
  const nodes = network.nodeCount;
  if (method === 'dense' && nodes > DENSE_UP_TO) return { skipped: `dense beyond ${DENSE_UP_TO} nodes` };
  const request = benchRequest(network, method);
  if (method === 'sparse-cholesky') {
    // the auto plan of the same wiring says whether the factor is within reach
    const probe = factorSync({ ...request, options: { method: 'auto' } });
    if (probe.method === 'pcg' && nodes > 20_000) return { skipped: `factor fills in (auto picks pcg); sparse Cholesky on a ${nodes}-node random graph needs more than ${SPARSE_FLOPS_UP_TO.toExponential(0)} operations` };
  }
  // small systems take many repetitions: the first few run while V8 is still compiling the kernels
  const reps = quick ? (nodes > 5000 ? 3 : 12) : nodes > 50_000 ? 3 : nodes > 5000 ? 6 : 20;
  clearPlanCache();
  const first = timed(() => factorSync(request));
  let f = first.value;
  const factor = [];
  for (let r = 0, spent = 0; r < reps && (r < 3 || spent < REPEAT_BUDGET_MS); r++) {
    f.dispose(); // as a training loop does: the next factorization may reuse its storage
    const t = timed(() => factorSync(request));
    factor.push(t.ms);
    spent += t.ms;
    f = t.value;
  }
  const one = fullRankBatch(request, 1, 11);
  const many = fullRankBatch(request, 64, 12);
  const samples = sampleBatch(request, 64, 13);
  const s1 = [];
  const s64 = [];
  const sS = [];
  let r1;
  let r64 = { iterations: null, maxResidual: 0 };
  let skipped64 = null;
  let rS;
  const solveReps = nodes > 50_000 ? 1 : factor.length;
  for (let r = 0; r < solveReps; r++) {
    let t = timed(() => f.solveSync(one));
    s1.push(t.ms);
    r1 = t.value;
    if (f.method === 'pcg' && s1[0] > PCG_SLOW_MS) {
      // a block of 64 would take minutes here (PCG on a mesh: hundreds of iterations); not timed
      skipped64 = `PCG takes ${Math.round(s1[0])} ms per right-hand side here (${r1.iterations} iterations); 64 not timed`;
    } else {
      t = timed(() => f.solveSync(many));
      s64.push(t.ms);
      r64 = t.value;
    }
    t = timed(() => f.solveSync(samples));
    sS.push(t.ms);
    rS = t.value;
  }
  return {
    method: f.method,
    ordering: f.ordering,
    preconditioner: f.preconditioner,
    edges: network.edgeFrom.length,
    factorNonzeros: f.factorNonzeros,
    factorFlops: f.factorFlops,
    factorFirst_ms: first.ms,
    factor_ms: median(factor),
    factorMin_ms: Math.min(...factor),
    solve1_ms: median(s1),
    solve1Min_ms: Math.min(...s1),
    solve64_ms: s64.length ? median(s64) : null,
    ...(skipped64 ? { solve64_skipped: skipped64 } : {}),
    solve64samples_ms: median(sS),
    iterations1: r1.iterations,
    iterations64: r64.iterations,
    maxResidual: Math.max(r1.maxResidual, r64.maxResidual, rS.maxResidual),
  };
}

const f1 = (x) => (x == null ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(0));
const rows = [];
const loadBefore = loadavg();
console.log('kind  nodes   method            1st factor  factor ms  solve(1) ms  solve(64) ms  64 samples ms  residual  iter  nnz(L)   flops    path');
for (const kind of kinds) {
  for (const n of sizes) {
    for (const method of methods) {
      const load1 = loadavg()[0];
      let r;
      try {
        r = cell(kind, n, method);
      } catch (e) {
        r = { error: String(e.message ?? e).slice(0, 200) };
      }
      const nodes = benchNetwork(kind, n).nodeCount;
      const row = { kind, nodes, requested: method, ...r, load1 };
      rows.push(row);
      const path = r.skipped ? `skipped: ${r.skipped}` : r.error ? `error: ${r.error}` : `${r.method}${r.ordering ? `/${r.ordering}` : ''}${r.preconditioner ? `/${r.preconditioner}` : ''}`;
      console.log(
        `${kind.padEnd(5)} ${String(nodes).padStart(6)}  ${method.padEnd(16)} ${f1(r.factorFirst_ms).padStart(10)} ${f1(r.factor_ms).padStart(9)} ${f1(r.solve1_ms).padStart(12)} ${f1(r.solve64_ms).padStart(13)} ${f1(r.solve64samples_ms).padStart(14)}  ` +
          `${r.maxResidual == null ? '   -    ' : r.maxResidual.toExponential(1).padStart(8)} ${String(r.iterations64 ?? r.iterations1 ?? '-').padStart(5)} ${r.factorNonzeros ? r.factorNonzeros.toExponential(1) : '-'.padEnd(7)}  ${r.factorFlops ? r.factorFlops.toExponential(1) : '-'.padEnd(7)}  ${path}${r.solve64_skipped ? ` [${r.solve64_skipped}]` : ''}  (load ${load1.toFixed(1)})`,
      );
    }
  }
}

/** Runs bench/scale.mjs in its own process, under /usr/bin/time -v when available (peak RSS). */
function scaleCheck(which) {
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const script = [join(here, 'scale.mjs'), which];
  const run = timeBin ? spawnSync(timeBin, ['-v', process.execPath, ...script], { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 20 * 60 * 1000 }) : spawnSync(process.execPath, script, { encoding: 'utf8', maxBuffer: 1 << 24, timeout: 20 * 60 * 1000 });
  const last = run.stdout?.trim().split('\n').at(-1) ?? '';
  if (run.status !== 0 || !last.startsWith('{')) return { which, error: `exit ${run.status}${run.signal ? ` (${run.signal})` : ''}: ${(run.stderr ?? '').slice(-400)}` };
  const row = JSON.parse(last);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr ?? '');
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)/.exec(run.stderr ?? '');
  return { ...row, peak_rss_mib: rss ? Math.round(Number(rss[1]) / 1024) : null, process_wall: wall ? wall[1] : null };
}

const scaleRows = [];
if (scale) {
  for (const which of ['er', 'grid']) {
    const load1 = loadavg()[0];
    scaleRows.push({ ...scaleCheck(which), load1 });
    const r = scaleRows.at(-1);
    console.log(r.error ? `scale ${which}: error ${r.error}` : `scale ${r.which} n=${r.nodes} m=${r.edges}: ${r.method}${r.ordering ? `/${r.ordering}` : ''}${r.preconditioner ? `/${r.preconditioner}` : ''} factor ${f1(r.factor_ms)} ms, solve(1) ${f1(r.solve1_ms)} ms (res ${r.residual1.toExponential(1)}, ${r.iterations1} it), solve(64) ${f1(r.solve64_ms)} ms (res ${r.residual64.toExponential(1)}, ${r.iterations64} it), process ${r.process_wall ?? '?'} wall, peak RSS ${r.peak_rss_mib ?? '?'} MiB (load ${load1.toFixed(1)})`);
  }
}

mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(
  outFile,
  JSON.stringify(
    {
      package: '@ohmlab/linalg-cpu',
      measured: 'wall time (ms) of the first factorSync of a wiring (ordering and analysis included), median of the repeated ones (analysis cached), and median of solveSync with 1 and 64 right-hand sides (full rank: random held voltages plus random currents at 64 free nodes, basisSolve off) and with 64 samples over the 3 held nodes (basisSolve on: a training batch)',
      command: `node bench/run.mjs ${argv.join(' ')}`.trim(),
      machine: `${process.platform} ${process.arch}, ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), node ${process.version}`,
      loadBefore,
      loadAfter: loadavg(),
      date: new Date().toISOString(),
      rows,
      scale: scaleRows,
    },
    null,
    2,
  ),
);
console.log(`wrote ${outFile}`);
