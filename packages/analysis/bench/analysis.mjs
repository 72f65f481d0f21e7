// Benchmark and experiment record of @ohmlab/analysis (run after `pnpm --filter @ohmlab/analysis build`):
//   node bench/analysis.mjs [--quick]
// Prints tables and writes <repo root>/bench-results/analysis.json (COMMON.md convention).
// 1. analyzeCircuit wall time on Erdos-Renyi circuits (median of 3; the machine load is recorded);
// 2. the kite (paper 1 sec. 6) at both base points: the paper's claims, the Figure 3 slice, the readings;
// 3. the maximum-principle theorem: census of every single-output circuit on <= 5 nodes and a random search;
// 4. genericity (Prop. 6.1) on the kite.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { erdosRenyi } from '@ohmlab/graph';
import { createCpuBackend } from '@ohmlab/linalg-cpu';
import {
  analyzeCircuit, genericity, kiteCensus, kiteCircuit, kiteClaims, kiteInvestigation, kiteLandscape, kiteRun,
  KITE_REPRODUCE_BASE, KITE_UNIT_BASE, maximumPrincipleSearch,
} from '../dist/index.js';

const quick = process.argv.includes('--quick');
const backend = createCpuBackend();
const t0 = performance.now();
const g = (x, d = 4) => (x === null || x === undefined ? '-' : typeof x === 'number' ? (Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(d - 1) : +x.toPrecision(d)) : String(x));
function table(title, rows) {
  console.log(`\n${title}`);
  if (rows.length === 0) return;
  const keys = Object.keys(rows[0]);
  const cells = [keys, ...rows.map((r) => keys.map((k) => g(r[k])))];
  const w = keys.map((_, i) => Math.max(...cells.map((c) => String(c[i]).length)));
  for (const c of cells) console.log('  ' + c.map((x, i) => String(x).padEnd(w[i])).join('  '));
}

// 1. timing
const timing = [];
for (const [nodes, outputs] of quick ? [[500, 1], [2000, 1], [2000, 10]] : [[500, 1], [2000, 1], [2000, 10], [10000, 1], [10000, 10]]) {
  const c = erdosRenyi({ nodes, meanDegree: 4, inputs: 3, outputs, seed: 5 });
  const ms = [];
  let rep;
  for (let i = 0; i < 3; i++) {
    const s = performance.now();
    rep = await analyzeCircuit(backend, c, { rule: 'cl' });
    ms.push(performance.now() - s);
  }
  ms.sort((a, b) => a - b);
  timing.push({ nodes, edges: c.edgeFrom.length, outputs, medianMs: ms[1], rank: rep.rank, cEp: rep.coercivity.ep, load1: loadavg()[0] });
}
table(`analyzeCircuit (rule cl), median of 3, ${cpus().length} cores`, timing);

// 2. kite
const bases = { unit: KITE_UNIT_BASE, reproduce: KITE_REPRODUCE_BASE };
const claims = {};
const slices = {};
for (const [name, base] of Object.entries(bases)) {
  claims[name] = await kiteClaims(backend, { base, offTarget: 0.6 });
  const ls = await kiteLandscape(backend, { base, points: quick ? 11 : 41, range: [-0.5, 0.5] });
  const vals = ls.values.flat().filter((x) => x !== null).sort((a, b) => a - b);
  slices[name] = { points: ls.e1.length, atOrigin: ls.atOrigin, minimum: ls.minimum, median: vals[vals.length >> 1] };
}
table('kite claims at the paper\'s "non-coercive" point (ratio condition, k5 = k6); off target t = 0.6', Object.entries(claims).map(([name, c]) => ({
  base: name, tStar: c.tStar, cEp: c.coercivity.ep, cCl: c.coercivity.cl, cAl: c.coercivity.al, rank: c.rank, sharedSupport: c.sharedSupport.join(','),
  epUpdate: c.updates[0].updateNorm, epClass: c.updates[0].fixedPoint, clClass: c.updates[1].fixedPoint, alOuterShare: c.updates[2].outerShare,
})));
const runs = [];
for (const [name, base] of Object.entries(bases)) {
  for (const [s, r] of quick ? [[0, 0], [-0.3, 0.1]] : [[0, 0], [-0.3, 0.1], [0.3, 0.2], [0.2, -0.3]]) {
    for (const rule of ['ep', 'al']) {
      const run = await kiteRun(backend, { base, s, r, target: 0.6, rule, duration: 3000 });
      runs.push({ base: name, s, r, rule, stop: run.stop, time: run.time, finalL: run.finalLoss, finalLAL: run.finalAdjointLoss, finalK: run.finalConductances.map((x) => x.toFixed(3)).join(',') });
    }
  }
}
table('kite runs to target 0.6 from slice points (continuous zero-nudge flow, edge removal at k = 0, T <= 3000)', runs);
table('kite Figure 3 slice k = base + s e1 + r (e5 - e6), s, r in [-0.5, 0.5]', Object.entries(slices).map(([name, s]) => ({
  base: name, grid: `${s.points}x${s.points}`, cAtOrigin: s.atOrigin, median: s.median, minC: s.minimum?.value, sAtMin: s.minimum?.e1, rAtMin: s.minimum?.e2,
})));
const readings = [];
for (const [name, base] of Object.entries(bases)) {
  const res = await kiteInvestigation(backend, { base, readings: name === 'unit' ? ['strut', 'bridge', 'corners'] : ['strut'], randomSamples: quick ? 40 : 200, restarts: quick ? 2 : 4, evaluations: quick ? 120 : 400 });
  for (const f of res) readings.push({ reading: f.reading, base: f.reading === 'strut' ? name : 'unit', cEp: f.balanced.coercivity.ep, rank: `${f.balanced.rank}/${f.balanced.jacobian.length}`, randomMinNormEp: f.randomMinNormalisedEp, searchBest: f.search.best, searchK: f.search.conductances.map((x) => x.toFixed(2)).join(',') });
}
table('kite readings: normalised c_EP = c max(k)^2 / spread(u)^2 over k in [0.1, 10]^m', readings);

// 3. maximum-principle theorem
const census = await kiteCensus(backend, { interior: [1, 2, 3], randomSamples: quick ? 1 : 5 });
const search = await maximumPrincipleSearch(backend, { trials: quick ? 100 : 1000 });
console.log(`  random search: least coupling rho where y^f is at relative distance >= 0.1 from the boundary voltages: ${search.leastInteriorCoupling.toExponential(2)}`);
for (const m of search.mismatchDetails) console.log(`  random-search mismatch: rho ${m.rho.toExponential(2)}, y at relative distance ${m.distance.toExponential(2)} from the boundary voltages (predicted ${m.predictedZero ? 'zero' : 'nonzero'})`);
table('maximum-principle theorem (M column = 0 iff the output sees one input voltage)', [
  { experiment: `census <= 5 nodes (${Object.values(census.circuits).reduce((a, b) => a + b, 0)} circuits, ${census.isolatedCircuits} isolated)`, cases: census.evaluations, predictedZero: '-', mismatches: census.mismatches, isolatedMaxRho: census.isolatedMax, leastRho: census.leastCoupling, leastNormEp: census.least?.value },
  { experiment: 'random ER, 6 decades of k', cases: search.trials, predictedZero: search.predictedZero, mismatches: search.mismatches, isolatedMaxRho: search.isolatedMax, leastRho: search.leastCoupling, leastNormEp: search.least?.value },
]);

// 4. genericity
const gen = {};
for (const [name, base] of Object.entries(bases)) gen[`kite ${name}`] = await genericity(backend, kiteCircuit({ base }), { targets: quick ? 3 : 8, duration: quick ? 500 : 2000 });
gen['ER 12 nodes, p = 2'] = await genericity(backend, erdosRenyi({ nodes: 12, meanDegree: 4, inputs: 3, outputs: 2, seed: 3 }), { targets: quick ? 2 : 8, duration: quick ? 500 : 2000 });
table('genericity (EP from the circuit\'s conductances to sampled targets in the inner 80% of the input range; accepted: L <= 1e-10)', Object.entries(gen).map(([name, r]) => ({ circuit: name, runs: r.runs.length, accepted: r.accepted, smallestEp: r.smallestEp, smallestNormEp: r.smallestNormalisedEp })));

const totalMs = performance.now() - t0;
console.log(`\ntotal ${(totalMs / 1000).toFixed(1)} s (${quick ? 'quick' : 'full'} plan, load ${loadavg().map((x) => x.toFixed(2)).join(' ')})`);
const dir = fileURLToPath(new URL('../../../bench-results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(dir + 'analysis.json', `${JSON.stringify({
  date: new Date().toISOString(), plan: quick ? 'quick' : 'full', node: process.version, cpus: cpus().length, load: loadavg(), totalMs,
  timing, kite: { claims, runs, slices, readings }, maximumPrinciple: { census, search }, genericity: gen,
}, (k, v) => (v === Infinity ? 'Infinity' : v), 2)}\n`);
console.log(`wrote ${dir}analysis.json`);
