/**
 * Per-edge parametrisations in the fused step (README "Fused training step"; THEORY.md
 * "Invariants"): `k = theta` (kind 0), `k = 1/theta` (1, resistance), `k = exp(theta)` (2, log),
 * in double-float, and the parameter velocity `v = -f'(theta) g` written with the step's k:
 * `-g`, `g k^2` (`-f' = 1/R^2 = k^2`), `-g k` (`f' = exp(theta) = k`).
 */
import { toPair } from './double-float.wgsl.js';

const lit = (x: number): string => {
  const s = Math.fround(x).toExponential(9);
  return s.includes('e') ? s.replace('e+', 'e') : s;
};
const pair = (x: number): string => {
  const [hi, lo] = toPair(x);
  return `vec2<f32>(${lit(hi)}, ${lit(lo)})`;
};

/** Horner steps of `sum_{i <= 13} r^i / i!` (|r| <= ln2/2: truncation < 2e-16 relative), highest first. */
function expSeries(): string {
  const inverseFactorial = [1];
  for (let i = 1; i <= 13; i++) inverseFactorial.push(inverseFactorial[i - 1]! / i);
  const lines = [`  var p = ${pair(inverseFactorial[13]!)};`];
  for (let i = 12; i >= 0; i--) lines.push(`  p = dfAdd(dfMul(p, r), ${pair(inverseFactorial[i]!)});`);
  return lines.join('\n');
}

/**
 * WGSL of the parametrisation: `KIND` is the kind shared by every edge (folded at compile time),
 * or 3 when the kinds mix (then read per edge from the topology table at `T_KIND`).
 */
export function fusedParametersWgsl(kind: number): string {
  return /* wgsl */ `
const KIND: u32 = ${kind}u;
fn kindOf(j: u32) -> u32 {
  if (KIND < 3u) { return KIND; }
  return topo[T_KIND + j];
}
/** 1 / a: float32 seed and two Newton steps in double-float. */
fn dfRecip(a: vec2<f32>) -> vec2<f32> {
  let one = vec2<f32>(1.0, 0.0);
  var r = vec2<f32>(1.0 / a.x, 0.0);
  r = dfAdd(r, dfMul(r, dfSub(one, dfMul(a, r))));
  return dfAdd(r, dfMul(r, dfSub(one, dfMul(a, r))));
}
/** exp(a): a = n ln2 + r, exp(r) by its Taylor series, times 2^n. */
fn dfExp(a: vec2<f32>) -> vec2<f32> {
  let n = round(a.x * ${lit(1 / Math.LN2)});
  let r = dfSub(a, dfMul(vec2<f32>(n, 0.0), ${pair(Math.LN2)}));
${expSeries()}
  return vec2<f32>(ldexp(p.x, i32(n)), ldexp(p.y, i32(n)));
}
/** Conductance of edge j at theta (0 for a removed edge, or a conductance / resistance <= 0). */
fn edgeConductance(j: u32, th: vec2<f32>, removed: bool) -> vec2<f32> {
  let kind = kindOf(j);
  if (removed || (kind != 2u && th.x <= 0.0)) { return vec2<f32>(0.0, 0.0); }
  if (kind == 1u) { return dfRecip(th); }
  if (kind == 2u) { return dfExp(th); }
  return th;
}
/** Velocity -f'(theta) g of edge j from -g and the step's conductance k. */
fn edgeVelocity(j: u32, minusG: vec2<f32>, k: vec2<f32>) -> vec2<f32> {
  let kind = kindOf(j);
  if (kind == 1u) { return -dfMul(dfMul(minusG, k), k); }
  if (kind == 2u) { return dfMul(minusG, k); }
  return minusG;
}
`;
}
