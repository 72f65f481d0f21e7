// Kite investigation + genericity + degeneracy figures for the README. Run after build:
// node bench/kite.mjs
import { createCpuBackend } from '@ohmlab/linalg-cpu';
import { kiteInvestigation, genericity, kiteReading, quantitiesAt } from '../dist/index.js';
import { erdosRenyi } from '@ohmlab/graph';
const backend = createCpuBackend();
const t0 = performance.now();
const res = await kiteInvestigation(backend, { randomSamples: 200, restarts: 4, evaluations: 400 });
for (const f of res) {
  const b = f.balanced;
  console.log(f.reading, JSON.stringify({ loss: b.loss, active: b.activeEdges, rank: b.rank, regular: b.regular, coercivity: b.coercivity, fixedPoint: b.fixedPoint, sv: b.singularValues }));
  console.log('  random min normalised c_EP', f.randomMinNormalisedEp, ' search best', f.search.best, 'k', f.search.conductances.map((x) => x.toFixed(3)).join(','), 'restarts', f.search.restarts.map((x) => x.toExponential(2)).join(' '));
}
const g = await genericity(backend, kiteReading('strut'), { targets: 8 });
console.log('genericity kite strut: smallest c_EP', g.smallestEp, 'normalised', g.smallestNormalisedEp, g.runs.map((r) => `${r.targets[0].toFixed(3)}:${r.stop}:${r.finalLoss.toExponential(1)}:${r.coercivity.ep.toExponential(2)}`).join(' '));
const er = erdosRenyi({ nodes: 12, meanDegree: 4, inputs: 3, outputs: 2, seed: 3 });
const g2 = await genericity(backend, er, { targets: 8 });
console.log('genericity ER12 p=2: smallest c_EP', g2.smallestEp, 'normalised', g2.smallestNormalisedEp, g2.runs.map((r) => `${r.stop}:${r.finalLoss.toExponential(1)}:${r.coercivity.ep.toExponential(2)}`).join(' '));
console.log('ms', (performance.now() - t0).toFixed(0));
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const dir = fileURLToPath(new URL('../../../bench-results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(dir + 'analysis.json', JSON.stringify({
  kite: res.map((f) => ({ reading: f.reading, balancedCoercivity: f.balanced.coercivity, fixedPoint: f.balanced.fixedPoint, randomMinNormalisedEp: f.randomMinNormalisedEp, searchBest: f.search.best, searchConductances: f.search.conductances })),
  genericity: { kiteStrut: { smallestEp: g.smallestEp, smallestNormalisedEp: g.smallestNormalisedEp }, er12: { smallestEp: g2.smallestEp, smallestNormalisedEp: g2.smallestNormalisedEp } },
  totalMs: performance.now() - t0,
}, null, 2));
console.log('wrote', dir + 'analysis.json');
