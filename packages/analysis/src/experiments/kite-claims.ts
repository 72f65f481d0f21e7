/**
 * Paper 1 section 6's claims about the strut kite, checked at a base point on the paper's
 * "non-coercive set" (ratio condition `k1/k2 = k3/k4` and `k5 = k6`; kite.ts):
 * 1. "coercivity fails" there when `t = t*`: we report `c_EP`, `c_CL`, `c_AL`, rank, and the free
 *    and clamped (unit-current) drops whose supports the paper says are disjoint;
 * 2. "spurious fixed points" when `t != t*`: EP / CL update norms and fixed-point classes;
 * 3. "AL acts only on k5, k6, preserves k5 = k6, and drives them to 0": the share of `|dk/dt|^2` on
 *    the outer edges, `|v5 - v6|`, and (optionally) continuous EP and AL runs from the base point;
 * 4. the Figure 3 slice: the coercivity constant over `(s, r)` with the output's level sets.
 */
import { trainContinuous } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { coercivityConstants, coercivityMatrix } from '../coercivity.js';
import { AnalysisError } from '../errors.js';
import { classifyFixedPoint, type FixedPointKind } from '../fixed-point.js';
import { conductanceVelocity } from '../flow.js';
import { linearise } from '../linearisation.js';
import { lossesOf } from '../losses.js';
import { landscape, type Landscape } from './landscape.js';
import type { Quantity } from './objective.js';
import { checkKiteBase, kiteCircuit, KITE_UNIT_BASE } from './kite.js';

export interface KiteUpdate {
  readonly rule: 'ep' | 'cl' | 'al';
  /** `dk/dt` of the zero-nudge flow, per unit learning rate. */
  readonly velocity: number[];
  readonly updateNorm: number;
  /** Share of `|dk/dt|^2` on the four outer edges (paper: 0 for AL). */
  readonly outerShare: number;
  /** `|v5 - v6|` (paper: 0 for AL, k5 = k6 preserved). */
  readonly strutAsymmetry: number;
  readonly fixedPoint: FixedPointKind;
}

export interface KiteClaims {
  readonly base: number[];
  /** `k1/k2 - k3/k4` and `k5 - k6` at the base (both 0 on the paper's non-coercive set). */
  readonly ratioResidual: number;
  readonly strutDifference: number;
  /** Free output at the base, t*. */
  readonly tStar: number;
  readonly freeDrops: number[];
  /** Drops of the clamped response to a unit current into o, inputs grounded (W). */
  readonly clampedDrops: number[];
  readonly coercivity: { ep: number; cl: number; al: number };
  readonly rank: number;
  /** Edges where both free and clamped drops exceed 1e-12 V (paper: none). */
  readonly sharedSupport: number[];
  readonly offTarget: number;
  readonly offTargetLoss: number;
  readonly updates: KiteUpdate[];
  /** EP and AL runs from the base at `offTarget` (only with `runDuration > 0`). */
  readonly runs?: { readonly ep: KiteRun; readonly al: KiteRun };
}

/** End of a continuous zero-nudge run (learners' `trainContinuous`, edge removal at k = 0). */
export interface KiteRun {
  readonly rule: 'ep' | 'cl' | 'al';
  readonly start: number[];
  readonly target: number;
  readonly duration: number;
  /** Time reached (the run stops early at L (EP/CL) or L_AL (AL) <= 1e-20, or when an output is cut off). */
  readonly time: number;
  readonly finalConductances: number[];
  /** L and L_AL at the end; `null` when the end point cannot be solved (the output was cut off). */
  readonly finalLoss: number | null;
  readonly finalAdjointLoss: number | null;
  readonly stop: string;
  readonly message: string;
}

/** Options of {@link kiteClaims}. */
export interface KiteClaimsOptions {
  readonly base?: ArrayLike<number>;
  /** A target `!= t*` for the spurious-fixed-point claims (default t* + 0.1). */
  readonly offTarget?: number;
  /** Duration of the EP and AL runs from the base at `offTarget` (default 0: no runs). */
  readonly runDuration?: number;
}

/** Checks the claims (module doc). */
export async function kiteClaims(backend: SolverBackend, options: KiteClaimsOptions = {}): Promise<KiteClaims> {
  const base = checkKiteBase(options.base ?? KITE_UNIT_BASE);
  const onTarget = kiteCircuit({ base });
  const lin = await linearise(backend, onTarget);
  const M = coercivityMatrix(lin);
  const c = coercivityConstants(lin, M);
  const tStar = lin.outputs[0]!;
  const offTarget = options.offTarget ?? tStar + 0.1;
  if (!Number.isFinite(offTarget) || offTarget === tStar) throw new AnalysisError('offTarget', `must be finite and != t* = ${tStar}`);
  const freeDrops = Array.from(lin.freeDrops);
  const clampedDrops = Array.from(lin.responseDrops.data);
  const off = kiteCircuit({ base, target: offTarget });
  const linOff = await linearise(backend, off);
  const updates: KiteUpdate[] = (['ep', 'cl', 'al'] as const).map((rule) => {
    const v = conductanceVelocity(linOff, rule);
    const total = v.reduce((a, x) => a + x * x, 0);
    const outer = v.subarray(0, 4).reduce((a, x) => a + x * x, 0);
    return {
      rule,
      velocity: Array.from(v),
      updateNorm: Math.sqrt(total),
      outerShare: total > 0 ? outer / total : 0,
      strutAsymmetry: Math.abs(v[4]! - v[5]!),
      fixedPoint: classifyFixedPoint(linOff, rule).kind,
    };
  });
  const result: KiteClaims = {
    base: Array.from(base),
    ratioResidual: base[0]! / base[1]! - base[2]! / base[3]!,
    strutDifference: base[4]! - base[5]!,
    tStar,
    freeDrops,
    clampedDrops,
    coercivity: { ep: c.ep, cl: c.cl, al: c.al },
    rank: c.singularValues.filter((s) => s > 1e-10 * (c.singularValues[0] ?? 0)).length,
    sharedSupport: freeDrops.map((d, j) => (Math.abs(d) > 1e-12 && Math.abs(clampedDrops[j]!) > 1e-12 ? j : -1)).filter((j) => j >= 0),
    offTarget,
    offTargetLoss: lossesOf(linOff).loss,
    updates,
  };
  const T = options.runDuration ?? 0;
  if (!(T >= 0) || !Number.isFinite(T)) throw new AnalysisError('runDuration', `must be finite and >= 0, got ${T}`);
  if (T === 0) return result;
  const run = (rule: 'ep' | 'al') => kiteRun(backend, { base, target: offTarget, rule, duration: T });
  return { ...result, runs: { ep: await run('ep'), al: await run('al') } };
}

/**
 * A continuous zero-nudge run of `rule` on the strut kite from the slice point `(s, r)` of `base`
 * with target `target` (learners' `trainContinuous`, adaptive RK, edge removal at k = 0).
 */
export async function kiteRun(
  backend: SolverBackend,
  options: { base?: ArrayLike<number>; s?: number; r?: number; target: number; rule: 'ep' | 'cl' | 'al'; duration: number },
): Promise<KiteRun> {
  const { duration, rule, target } = options;
  if (!(duration > 0) || !Number.isFinite(duration)) throw new AnalysisError('duration', `must be finite and > 0, got ${duration}`);
  const c = kiteCircuit({ base: options.base ?? KITE_UNIT_BASE, s: options.s ?? 0, r: options.r ?? 0, target });
  const res = await trainContinuous(backend, c, { rule, nudge: 'zero', duration, record: 2, recordConductances: false, lossTolerance: 1e-20 });
  const end = await linearise(backend, c, { conductances: res.final.conductances }).then(lossesOf, () => null);
  return {
    rule,
    start: Array.from(c.conductances),
    target,
    duration,
    time: res.final.time ?? duration,
    finalConductances: Array.from(res.final.conductances),
    finalLoss: end ? end.loss : null,
    finalAdjointLoss: end ? end.adjointLoss : null,
    stop: res.stop.reason,
    message: res.stop.message,
  };
}

/** The Figure 3 landscape: `quantity` over `k(s, r) = base + s e1 + r (e5 - e6)`, s and r in `range`. */
export async function kiteLandscape(
  backend: SolverBackend,
  options: { base?: ArrayLike<number>; quantity?: Quantity; range?: readonly [number, number]; points?: number } = {},
): Promise<Landscape & { /** Value at s = r = 0 (null when 0 is not a grid point). */ readonly atOrigin: number | null }> {
  const base = checkKiteBase(options.base ?? KITE_UNIT_BASE);
  const c = kiteCircuit({ base });
  const points = options.points ?? 21;
  const ls = await landscape(backend, c, {
    quantity: options.quantity ?? 'ep',
    u: Float64Array.of(1, 0, 0, 0, 0, 0),
    v: Float64Array.of(0, 0, 0, 0, 1, -1),
    normalise: false,
    range: options.range ?? [-0.5, 0.5],
    points,
  });
  const zero = ls.e1.findIndex((x) => Math.abs(x) < 1e-12);
  const atOrigin = zero >= 0 ? (ls.values[zero]![zero] ?? null) : null;
  return { ...ls, atOrigin };
}
