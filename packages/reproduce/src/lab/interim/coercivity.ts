import type { Circuit } from '@ohmlab/graph';
import type { Rule } from '../lab.js';
import { drops, solveDense } from './dense-solve.js';
import { samplesOf, type SampleIO } from './states.js';

/** Coercivity constants: EP `sigma_min(M)^2`; CL `sigma_min(M)^2 lambda_min(D)`; AL EP's at x^r. */
export function coercivity(c: Circuit, k: Float64Array, rule: Rule): number {
  const inNodes = Array.from(c.inputNodes);
  const outNodes = Array.from(c.outputNodes);
  const p = outNodes.length;
  const s = samplesOf(c)[0] as SampleIO;
  const x0 = rule === 'AL'
    ? solveDense(c, k, [...inNodes, ...outNodes], [...s.inputs, ...s.targets])
    : solveDense(c, k, inNodes, Array.from(s.inputs));
  const dv0 = drops(c, x0);
  const cols: Float64Array[] = [];
  const g = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    const xh = solveDense(c, k, inNodes, inNodes.map(() => 0), new Map([[outNodes[i] as number, 1]]));
    const dvh = drops(c, xh);
    cols.push(Float64Array.from(dvh, (d, j) => d * (dv0[j] as number)));
    for (let q = 0; q < p; q++) g[i * p + q] = xh[outNodes[q] as number] as number;
  }
  const mtm = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let q = 0; q < p; q++) mtm[i * p + q] = (cols[i] as Float64Array).reduce((a, x, j) => a + x * ((cols[q] as Float64Array)[j] as number), 0);
  const cEP = minEigSym(mtm, p);
  if (rule !== 'CL') return cEP;
  // D = G^{-1}: lambda_min(D) = 1 / lambda_max(G).
  return cEP / maxEigSym(g, p);
}

function jacobiEigs(a0: Float64Array, n: number): number[] {
  const a = Float64Array.from(a0);
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += (a[i * n + j] as number) ** 2;
    if (off < 1e-30) break;
    for (let pI = 0; pI < n; pI++) {
      for (let q = pI + 1; q < n; q++) {
        const apq = a[pI * n + q] as number;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = ((a[q * n + q] as number) - (a[pI * n + pI] as number)) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const cs = 1 / Math.sqrt(t * t + 1);
        const sn = t * cs;
        for (let r = 0; r < n; r++) {
          const arp = a[r * n + pI] as number;
          const arq = a[r * n + q] as number;
          a[r * n + pI] = cs * arp - sn * arq;
          a[r * n + q] = sn * arp + cs * arq;
        }
        for (let r = 0; r < n; r++) {
          const apr = a[pI * n + r] as number;
          const aqr = a[q * n + r] as number;
          a[pI * n + r] = cs * apr - sn * aqr;
          a[q * n + r] = sn * apr + cs * aqr;
        }
      }
    }
  }
  return Array.from({ length: n }, (_, i) => a[i * n + i] as number);
}
function minEigSym(a: Float64Array, n: number): number {
  return Math.min(...jacobiEigs(a, n));
}
function maxEigSym(a: Float64Array, n: number): number {
  return Math.max(...jacobiEigs(a, n));
}
