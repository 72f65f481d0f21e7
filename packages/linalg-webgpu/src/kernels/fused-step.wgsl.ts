import type { TopologyOffsets } from '../fused/fused-topology.js';
import { doubleFloatWgsl, type ProductMode } from './double-float.wgsl.js';
import { fusedParametersWgsl } from './fused-parameters.wgsl.js';
import { fusedFactorWgsl, fusedStatesWgsl } from './fused-solve.wgsl.js';

/** Compile-time shape of a fused training kernel (one workgroup per circuit). */
export interface FusedShape {
  readonly circuits: number;
  readonly n: number;
  readonly m: number;
  readonly nIn: number;
  readonly p: number;
  /** Samples per step (the mini-batch, or all). */
  readonly samples: number;
  /** Samples in the samples buffer, and whether each step reads its own from the batch table after them. */
  readonly allSamples: number;
  readonly batched: boolean;
  readonly nfA: number;
  readonly nfB: number;
  /** 0 EP, 1 CL, 2 AL. */
  readonly rule: number;
  /** 0 zero, 1 finite, 2 symmetric. */
  readonly nudge: number;
  /** 0 remove, 1 reflect, 2 clip. */
  readonly boundary: number;
  /** Parametrisation shared by every edge (0 conductance, 1 resistance, 2 log), or 3 mixed (per edge). */
  readonly kind: number;
  readonly tolerance: number;
  readonly maxSweeps: number;
  readonly workgroupSize: number;
  /** Packed factor in workgroup memory (else in the circuit's scratch). */
  readonly factorInWorkgroup: boolean;
  readonly eventCapacity: number;
  readonly offsets: TopologyOffsets;
  readonly productMode: ProductMode;
}

/** States per circuit: the base state and one (zero, finite) or two (symmetric) nudged/clamped states. */
export function stateCount(nudge: number): number {
  return nudge === 2 ? 3 : 2;
}

/** Packed lower triangle of the larger of the two systems (float32 words). */
export function packedWords(shape: Pick<FusedShape, 'nfA' | 'nfB'>): number {
  const nf = Math.max(shape.nfA, shape.nfB);
  return (nf * (nf + 1)) / 2;
}

/** Float32 words of scratch per circuit: [factor (global case)] [correction S x nf] [error S x p pairs] [scale S]. */
export function scratchLayout(shape: Pick<FusedShape, 'nfA' | 'nfB' | 'samples' | 'p' | 'factorInWorkgroup'>) {
  const factor = shape.factorInWorkgroup ? 0 : packedWords(shape);
  const correction = factor;
  const error = correction + shape.samples * Math.max(shape.nfA, shape.nfB);
  const scale = error + 2 * shape.samples * shape.p;
  return { correction, error, scale, words: scale + shape.samples };
}

/** u32 words of control per circuit: [status, steps, failed step, event count | flags m | events 2 x cap]. */
export function controlWords(m: number, eventCapacity: number): number {
  return 4 + m + 2 * eventCapacity;
}

/** Uniform block: alpha, level, gscale, w1, w2, lossScale (df32 pairs), then histBase, histCap. */
export const FUSED_UNIFORM_BYTES = 64;

const f = (x: number): string => {
  const s = Math.fround(x).toExponential(9);
  return s.includes('e') ? s.replace('e+', 'e') : s;
};

function header(s: FusedShape): string {
  const o = s.offsets;
  const sl = scratchLayout(s);
  return /* wgsl */ `
const WG: u32 = ${s.workgroupSize}u;
const C: u32 = ${s.circuits}u;
const N: u32 = ${s.n}u;
const M: u32 = ${s.m}u;
const NIN: u32 = ${s.nIn}u;
const P: u32 = ${s.p}u;
const S: u32 = ${s.samples}u;
const SALL: u32 = ${s.allSamples}u;
const BATCHED: bool = ${s.batched};
const T_BATCH: u32 = ${2 * s.allSamples * (s.nIn + s.p)}u;
const NFA: u32 = ${s.nfA}u;
const NFB: u32 = ${s.nfB}u;
const NS: u32 = ${stateCount(s.nudge)}u;
const RULE: u32 = ${s.rule}u;
const NUDGE: u32 = ${s.nudge}u;
const BOUNDARY: u32 = ${s.boundary}u;
const TOL: f32 = ${f(s.tolerance)};
const MAXSWEEPS: u32 = ${s.maxSweeps}u;
const EVCAP: u32 = ${s.eventCapacity}u;
const NONE: u32 = 0xffffffffu;
const T_NODESTART: u32 = ${o.nodeStart}u;
const T_ADJ: u32 = ${o.adjacency}u;
const T_FREEA: u32 = ${o.freeA}u;
const T_FREEB: u32 = ${o.freeB}u;
const T_FIDXA: u32 = ${o.freeIndexA}u;
const T_FIDXB: u32 = ${o.freeIndexB}u;
const T_ROWSA: u32 = ${o.rowsA}u;
const T_ROWSB: u32 = ${o.rowsB}u;
const T_OIDX: u32 = ${o.outputIndex}u;
const T_IN: u32 = ${o.inputs}u;
const T_OUT: u32 = ${o.outputs}u;
const T_FROM: u32 = ${o.edgeFrom}u;
const T_TO: u32 = ${o.edgeTo}u;
const T_KIND: u32 = ${o.kinds}u;
const SCR: u32 = ${sl.words}u;
const SC_CORR: u32 = ${sl.correction}u;
const SC_ERR: u32 = ${sl.error}u;
const SC_SCALE: u32 = ${sl.scale}u;
const CTL: u32 = ${controlWords(s.m, s.eventCapacity)}u;
const BASE_SYS: u32 = ${s.rule === 2 ? 1 : 0}u;
const SECOND_SYS: u32 = ${s.rule === 0 ? 0 : 1}u;
`;
}

const bindings = /* wgsl */ `
struct Uniforms {
  alpha: vec2<f32>, level: vec2<f32>, gscale: vec2<f32>, w1: vec2<f32>, w2: vec2<f32>, lossScale: vec2<f32>,
  histBase: u32, histCap: u32,
}
@group(0) @binding(0) var<storage, read> topo: array<u32>;
@group(0) @binding(1) var<storage, read> samples: array<f32>;
@group(0) @binding(2) var<storage, read_write> params: array<f32>;
@group(0) @binding(3) var<storage, read_write> volts: array<f32>;
@group(0) @binding(4) var<storage, read_write> scratch: array<f32>;
@group(0) @binding(5) var<storage, read_write> control: array<u32>;
@group(0) @binding(6) var<storage, read_write> history: array<f32>;
@group(0) @binding(7) var<uniform> u: Uniforms;

var<workgroup> red: array<vec2<f32>, WG>;
var<workgroup> wFlag: u32;
var<workgroup> wRes: f32;
var<workgroup> wSweeps: u32;
var<workgroup> wEvents: atomic<u32>;
`;

function factorMemory(s: FusedShape): string {
  return s.factorInWorkgroup
    ? `var<workgroup> A: array<f32, ${packedWords(s)}u>;
fn ld(c: u32, i: u32) -> f32 { return A[i]; }
fn st(c: u32, i: u32, v: f32) { A[i] = v; }`
    : `fn ld(c: u32, i: u32) -> f32 { return scratch[c * SCR + i]; }
fn st(c: u32, i: u32, v: f32) { scratch[c * SCR + i] = v; }`;
}

/** Accessors: voltages (pairs), parameters theta and the conductances k used by the current step. */
const accessors = /* wgsl */ `
fn sync() { storageBarrier(); workgroupBarrier(); }
fn at(i: u32, j: u32) -> u32 { return i * (i + 1u) / 2u + j; }
fn vI(c: u32, stt: u32, s: u32, node: u32) -> u32 { return 2u * (((c * NS + stt) * S + s) * N + node); }
fn getV(i: u32) -> vec2<f32> { return vec2<f32>(volts[i], volts[i + 1u]); }
fn setV(i: u32, v: vec2<f32>) { volts[i] = v.x; volts[i + 1u] = v.y; }
fn thI(c: u32, j: u32) -> u32 { return 4u * M * c + 2u * j; }
fn kI(c: u32, j: u32) -> u32 { return 4u * M * c + 2u * M + 2u * j; }
fn getP(i: u32) -> vec2<f32> { return vec2<f32>(params[i], params[i + 1u]); }
fn setP(i: u32, v: vec2<f32>) { params[i] = v.x; params[i + 1u] = v.y; }
/** The step being computed (set by main): row of the batch table, which names each step's samples. */
var<private> curStep: u32;
fn sampleOf(s: u32) -> u32 {
  if (!BATCHED) { return s; }
  return u32(samples[T_BATCH + (curStep - u.histBase) * S + s]);
}
fn sampleIn(s: u32, i: u32) -> vec2<f32> { let a = 2u * (sampleOf(s) * NIN + i); return vec2<f32>(samples[a], samples[a + 1u]); }
fn sampleTarget(s: u32, o: u32) -> vec2<f32> { let a = 2u * (SALL * NIN + sampleOf(s) * P + o); return vec2<f32>(samples[a], samples[a + 1u]); }
fn errI(c: u32, s: u32, o: u32) -> u32 { return c * SCR + SC_ERR + 2u * (s * P + o); }
fn getErr(c: u32, s: u32, o: u32) -> vec2<f32> { let a = errI(c, s, o); return vec2<f32>(scratch[a], scratch[a + 1u]); }
fn nfOf(sys: u32) -> u32 { return select(NFB, NFA, sys == 0u); }
fn freeOf(sys: u32) -> u32 { return select(T_FREEB, T_FREEA, sys == 0u); }
fn fidxOf(sys: u32) -> u32 { return select(T_FIDXB, T_FIDXA, sys == 0u); }
fn rowsOf(sys: u32) -> u32 { return select(T_ROWSB, T_ROWSA, sys == 0u); }
fn wOf(stt: u32) -> vec2<f32> { return select(u.w2, u.w1, stt == 1u); }

fn wgSum(lid: u32, v: vec2<f32>) -> vec2<f32> {
  red[lid] = v;
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h >> 1u) {
    if (lid < h) { red[lid] = dfAdd(red[lid], red[lid + h]); }
    workgroupBarrier();
  }
  let out = red[0];
  workgroupBarrier();
  return out;
}
fn wgMax(lid: u32, v: f32) -> f32 {
  red[lid] = vec2<f32>(v, 0.0);
  workgroupBarrier();
  for (var h = WG / 2u; h > 0u; h = h >> 1u) {
    if (lid < h) {
      let a = red[lid].x;
      let b = red[lid + h].x;
      red[lid].x = select(max(a, b), a + b, a != a || b != b);
    }
    workgroupBarrier();
  }
  let out = red[0].x;
  workgroupBarrier();
  return out;
}
`;

/** Edge contrast averaged over samples, the velocity -g with the boundary rule, the update. */
const updateFn = /* wgsl */ `
fn drop(c: u32, stt: u32, s: u32, j: u32) -> vec2<f32> {
  return dfSub(getV(vI(c, stt, s, topo[T_FROM + j])), getV(vI(c, stt, s, topo[T_TO + j])));
}

fn updateParameters(c: u32, lid: u32, step: u32) {
  let ctl = c * CTL;
  for (var j = lid; j < M; j = j + WG) {
    var g = vec2<f32>(0.0, 0.0);
    for (var s = 0u; s < S; s = s + 1u) {
      let d0 = drop(c, 0u, s, j);
      let d1 = drop(c, 1u, s, j);
      if (NUDGE == 0u) {
        g = dfAdd(g, dfMul(d0, d1));
      } else if (NUDGE == 1u) {
        g = dfAdd(g, dfMul(dfSub(d1, d0), dfAdd(d1, d0)));
      } else {
        let d2 = drop(c, 2u, s, j);
        g = dfAdd(g, dfMul(dfSub(d1, d2), dfAdd(d1, d2)));
      }
    }
    var v = edgeVelocity(j, -dfMul(g, u.gscale), getP(kI(c, j)));
    let th = getP(thI(c, j));
    let flags = control[ctl + 4u + j];
    let removed = (flags & 1u) != 0u;
    let bounded = kindOf(j) != 2u;
    let resting = bounded && dfLe(th, u.level);
    if (removed || (resting && (v.x < 0.0 || (v.x == 0.0 && v.y < 0.0)))) { v = vec2<f32>(0.0, 0.0); }
    var next = dfAdd(th, dfMul(u.alpha, v));
    if (bounded && !removed && !resting && dfLe(next, u.level)) {
      next = u.level;
      if (BOUNDARY == 0u) { control[ctl + 4u + j] = flags | 1u; }
      let slot = atomicAdd(&wEvents, 1u);
      if (slot < EVCAP) {
        control[ctl + 4u + M + 2u * slot] = j;
        control[ctl + 4u + M + 2u * slot + 1u] = step + 1u;
      }
    }
    setP(thI(c, j), next);
  }
}
`;

const mainFn = /* wgsl */ `
fn fail(c: u32, lid: u32, code: u32, step: u32) {
  if (lid == 0u) { control[c * CTL] = code; control[c * CTL + 2u] = step; }
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let c = wid.y * nwg.x + wid.x;
  if (c >= C) { return; }
  let ctl = c * CTL;
  if (lid == 0u) {
    wFlag = control[ctl];
    wSweeps = 0u;
    atomicStore(&wEvents, control[ctl + 3u]);
  }
  if (workgroupUniformLoad(&wFlag) != 0u) { return; }
  let step = control[ctl + 1u];
  curStep = step;
  for (var j = lid; j < M; j = j + WG) {
    setP(kI(c, j), edgeConductance(j, getP(thI(c, j)), (control[ctl + 4u + j] & 1u) != 0u));
  }
  sync();
  if (!factorSystem(c, lid, BASE_SYS)) { fail(c, lid, 1u, step); return; }
  prepareState(c, lid, 0u, BASE_SYS);
  var worst = refineState(c, lid, 0u, BASE_SYS);
  if (!(worst <= TOL)) { fail(c, lid, 2u, step); return; }
  let loss = errorSignal(c, lid);
  if (SECOND_SYS != BASE_SYS) {
    if (!factorSystem(c, lid, SECOND_SYS)) { fail(c, lid, 1u, step); return; }
  }
  for (var stt = 1u; stt < NS; stt = stt + 1u) {
    prepareState(c, lid, stt, SECOND_SYS);
    let r = refineState(c, lid, stt, SECOND_SYS);
    if (!(r <= TOL)) { fail(c, lid, 2u, step); return; }
    worst = max(worst, r);
  }
  updateParameters(c, lid, step);
  sync();
  if (lid == 0u) {
    control[ctl + 3u] = atomicLoad(&wEvents);
    let slot = step - u.histBase;
    if (slot < u.histCap) {
      let h = 4u * (c * u.histCap + slot);
      history[h] = loss.x;
      history[h + 1u] = loss.y;
      history[h + 2u] = worst;
      history[h + 3u] = f32(wSweeps);
    }
    control[ctl + 1u] = step + 1u;
  }
}
`;

/**
 * The fused training step (one dispatch = one step of every circuit; one workgroup per circuit):
 * conductances from the parameters, LDL^T of the base system, base state (free for EP/CL, AL
 * reference) refined in double-float, error signal and loss, the second system for CL/AL, the
 * clamped or nudged state(s), the edge contrast averaged over samples, the update
 * `theta <- theta - alpha f'(theta) g` and the boundary rule, and one history record. A circuit whose factor
 * or refinement fails stops (status 1 or 2) with its parameters as they were before that step.
 */
export function fusedStepWgsl(shape: FusedShape): string {
  const parts = [header(shape), bindings, doubleFloatWgsl(shape.productMode), fusedParametersWgsl(shape.kind), factorMemory(shape), accessors];
  return [...parts, fusedFactorWgsl, fusedStatesWgsl, updateFn, mainFn].join('\n');
}
