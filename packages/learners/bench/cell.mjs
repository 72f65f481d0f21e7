// Times one zero-nudge training step (all samples, all states: the rule's base and clamped states,
// plus the per-edge contrast) with @ohmlab/learners on the CPU backend, and how much of it is spent
// inside the solver (factor + solve) versus in this package (the rest).
// Usage: node cell.mjs circuit.json ep|cl|al reps auto|response|direct. Prints JSON.
import { readFileSync } from 'node:fs';
import { openStateSolver, sampleBatch, stepStates, edgeContrast } from '../dist/index.js';
import { toCircuit } from './circuits.mjs';

const [file, rule, reps, strategy = 'auto'] = process.argv.slice(2);
const linalg = await import('@ohmlab/linalg-cpu');
if (typeof linalg.createCpuBackend !== 'function') {
  console.log(JSON.stringify({ error: '@ohmlab/linalg-cpu exports no createCpuBackend (not built yet?)' }));
  process.exit(0);
}
const inner = linalg.createCpuBackend();
const clock = { solver: 0, factors: 0, solves: 0, rhs: 0, methods: new Set() };
/** The CPU backend with every factor and solve call timed. */
const backend = {
  name: inner.name,
  description: inner.description,
  async factor(req) {
    const t0 = performance.now();
    const f = await inner.factor(req);
    clock.solver += performance.now() - t0;
    clock.factors++;
    clock.methods.add(f.method);
    return {
      method: f.method,
      nodeCount: f.nodeCount,
      dirichletNodes: f.dirichletNodes,
      async solve(rhs) {
        const t1 = performance.now();
        const r = await f.solve(rhs);
        clock.solver += performance.now() - t1;
        clock.solves++;
        clock.rhs += rhs.count;
        return r;
      },
      dispose: () => f.dispose(),
    };
  },
  dispose: () => inner.dispose(),
};
const circuit = toCircuit(JSON.parse(readFileSync(file, 'utf8')));
const batch = sampleBatch(circuit);
const runs = [];
let g;
let used = '';
// one warm-up step (JIT), not timed; then `reps` timed steps
for (let i = -1; i < Number(reps); i++) {
  Object.assign(clock, { solver: 0, factors: 0, solves: 0, rhs: 0 });
  // collect the previous step's garbage (mostly the solver's factor arrays) outside the timing, so
  // that a collection is not billed to whichever code happens to run when it starts
  globalThis.gc?.();
  const t0 = performance.now();
  const solver = openStateSolver(backend, circuit, { strategy });
  const states = await stepStates(solver, batch, { rule, nudge: 'zero' });
  g = edgeContrast(circuit, states);
  solver.dispose();
  const total = performance.now() - t0;
  used = states.strategy;
  if (i >= 0) runs.push({ total, solver: clock.solver, factors: clock.factors, solves: clock.solves, rhs: clock.rhs });
}
runs.sort((a, b) => a.total - b.total);
const med = runs[Math.floor(runs.length / 2)];
console.log(JSON.stringify({
  rule, strategy: used, method: [...clock.methods].join('+'),
  ms: runs.map((r) => r.total), median_ms: med.total, min_ms: runs[0].total, solver_ms: med.solver, overhead_ms: med.total - med.solver,
  min_overhead_ms: Math.min(...runs.map((r) => r.total - r.solver)),
  factors: med.factors, solves: med.solves, rhs: med.rhs,
  contrast_head: Array.from(g.subarray(0, 4)),
}));
