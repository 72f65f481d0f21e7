// Times one zero-nudge training step (all samples, all states: free + clamped, shared
// factorization, one RHS batch each, plus the per-edge contrast) with @ohmlab/learners on the
// CPU backend. Usage: node cell.mjs circuit.json ep|cl reps. Prints JSON.
import { readFileSync } from 'node:fs';
import { openStateSolver, sampleBatch, stepStates, edgeContrast } from '../dist/index.js';
import { toCircuit } from './circuits.mjs';

const [file, rule, reps] = process.argv.slice(2);
const linalg = await import('@ohmlab/linalg-cpu');
if (typeof linalg.createCpuBackend !== 'function') {
  console.log(JSON.stringify({ error: '@ohmlab/linalg-cpu exports no createCpuBackend (not built yet?)' }));
  process.exit(0);
}
const backend = linalg.createCpuBackend();
const circuit = toCircuit(JSON.parse(readFileSync(file, 'utf8')));
const batch = sampleBatch(circuit);
const ms = [];
let g;
let method = '';
for (let i = 0; i < Number(reps); i++) {
  const t0 = performance.now();
  const solver = openStateSolver(backend, circuit);
  const states = await stepStates(solver, batch, { rule, nudge: 'zero' });
  g = edgeContrast(circuit, states);
  method = (await solver.inputsOnly()).method;
  solver.dispose();
  ms.push(performance.now() - t0);
}
ms.sort((a, b) => a - b);
console.log(JSON.stringify({ rule, method, ms, median_ms: ms[Math.floor(ms.length / 2)], contrast_head: Array.from(g.subarray(0, 4)) }));
