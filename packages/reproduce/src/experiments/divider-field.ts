import type { Circuit } from '@ohmlab/graph';
import type { NudgeOptions } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { claimAtLeast, claimAtMost } from '../claims.js';
import { flowFieldPlot } from '../svg/flow-field.js';
import { velocity } from '../training/at-point.js';
import { edgeSeries, last, type Trajectory } from '../training/trajectory.js';
import type { Claim } from '../types.js';

/** The voltage divider's velocity on a cell-centred `grid x grid` grid over (0, kMax)^2. */
export interface DividerField {
  readonly grid: number;
  readonly kMax: number;
  /** `k1`, `k2`, `v1`, `v2` at cell `j * grid + i`. */
  readonly k1: Float64Array;
  readonly k2: Float64Array;
  readonly v1: Float64Array;
  readonly v2: Float64Array;
}

/** Velocity of `nudge` at every cell of the grid (learners' rule through `velocity`). */
export async function dividerField(backend: SolverBackend, grid: number, kMax: number, nudge: NudgeOptions, at: (k1: number, k2: number) => Circuit): Promise<DividerField> {
  const n = grid * grid;
  const f = { grid, kMax, k1: new Float64Array(n), k2: new Float64Array(n), v1: new Float64Array(n), v2: new Float64Array(n) };
  for (let q = 0; q < n; q++) {
    f.k1[q] = (((q % grid) + 0.5) / grid) * kMax;
    f.k2[q] = ((Math.floor(q / grid) + 0.5) / grid) * kMax;
    const v = await velocity(backend, at(f.k1[q] as number, f.k2[q] as number), nudge);
    f.v1[q] = v[0] as number;
    f.v2[q] = v[1] as number;
  }
  return f;
}

function speed(f: DividerField, q: number): number {
  return Math.hypot(f.v1[q] as number, f.v2[q] as number);
}

/** `k . v / |k|`: the rate of change of |k| = sqrt(M) at cell q. */
function radial(f: DividerField, q: number): number {
  return ((f.k1[q] as number) * (f.v1[q] as number) + (f.k2[q] as number) * (f.v2[q] as number)) / Math.hypot(f.k1[q] as number, f.k2[q] as number);
}

/** eta = 0: tangent to the circles, fixed point on the ray rho*, trajectory converges to it. */
export function zeroNudgeClaims(f: DividerField, vStar: Float64Array, traj: Trajectory, rhoStar: number): Claim[] {
  const cells = Array.from(f.k1.keys());
  const maxSpeed = Math.max(...cells.map((q) => speed(f, q)));
  const end = traj.finalConductances;
  const rhoEnd = (end[0] as number) / ((end[0] as number) + (end[1] as number));
  return [
    claimAtMost('eta = 0: the flow is tangent to the circles k1^2 + k2^2 = const (max over the grid of |k.v| / |k|, relative to the largest |v|)', Math.max(...cells.map((q) => Math.abs(radial(f, q)))) / maxSpeed, 1e-9),
    claimAtMost('eta = 0: k1/(k1+k2) = E[ut]/E[u^2] (eq. 4.14) is an interior fixed point, |v| there', Math.hypot(vStar[0] as number, vStar[1] as number), 1e-12),
    claimAtMost('eta = 0: the trajectory converges to the fixed-point ray, |rho(T) - rho*|', Math.abs(rhoEnd - rhoStar), 1e-3),
  ];
}

/**
 * eta = +/-1: the mass shrinks / grows everywhere (eq. 4.12), no interior fixed point, and the
 * trajectory is drawn toward a ray from the origin (Sec. 4.2: the ratio settles while |k| moves).
 */
export function finiteNudgeClaims(f: DividerField, traj: Trajectory, eta: 1 | -1): { claims: Claim[]; merit: Record<string, number> } {
  const cells = Array.from(f.k1.keys());
  const relSpeed = cells.map((q) => speed(f, q) / Math.hypot(f.k1[q] as number, f.k2[q] as number));
  const cosines = cells.map((q) => radial(f, q) / speed(f, q));
  const label = eta > 0 ? '+1' : '-1';
  const rho = (i: number): number => {
    const k = traj.conductances[i] as Float64Array;
    return (k[0] as number) / ((k[0] as number) + (k[1] as number));
  };
  const n = traj.t.length - 1;
  const q = Math.floor((3 * n) / 4);
  const radiusChange = Math.abs(Math.sqrt(last(traj.mass) / (traj.mass[q] as number)) - 1);
  return {
    claims: [
      eta > 0
        ? claimAtMost('eta = +1: the mass shrinks everywhere (eq. 4.12), max over the grid of k.v / (|k||v|)', Math.max(...cosines), 0, '< 0')
        : claimAtLeast('eta = -1: the mass grows everywhere (eq. 4.12), min over the grid of k.v / (|k||v|)', Math.min(...cosines), 0, '> 0'),
      claimAtLeast(`eta = ${label}: no interior fixed point, min over the grid of |v| / |k|`, Math.min(...relSpeed), 1e-6),
      claimAtMost(`eta = ${label}: the trajectory is drawn toward a ray from the origin: |rho(T) - rho(3T/4)| with rho = k1/(k1+k2), over the relative change of |k| in that time`, Math.abs(rho(n) - rho(q)) / radiusChange, 1e-2),
    ],
    merit: {
      [`eta = ${label}: M(T)/M(0)`]: last(traj.mass) / (traj.mass[0] as number),
      [`eta = ${label}: k1/(k1+k2) at T`]: rho(n),
      [`eta = ${label}: relative change of |k| over the last quarter`]: radiusChange,
      [`eta = ${label}: removals`]: traj.removals.length,
    },
  };
}

/** Largest |v_a - v_b| over the grid relative to the largest |v_b|. */
export function fieldDistance(a: DividerField, b: DividerField): number {
  let worst = 0;
  let scale = 0;
  for (let q = 0; q < a.v1.length; q++) {
    worst = Math.max(worst, Math.hypot((a.v1[q] as number) - (b.v1[q] as number), (a.v2[q] as number) - (b.v2[q] as number)));
    scale = Math.max(scale, speed(b, q));
  }
  return worst / scale;
}

/** Quiver plot of a field with a trajectory from `start`, the conserved circle and the rho* ray. */
export function dividerPanel(f: DividerField, traj: Trajectory, title: string, start: readonly [number, number], rhoStar: number): string {
  const r0 = Math.hypot(...start);
  const angles = Array.from({ length: 91 }, (_, i) => (i / 90) * (Math.PI / 2));
  const reach = f.kMax / Math.max(rhoStar, 1 - rhoStar);
  return flowFieldPlot({
    title, xLabel: 'k1', yLabel: 'k2', xRange: [0, f.kMax], yRange: [0, f.kMax], arrows: Math.min(f.grid, 15),
    field: (x, y) => {
      const i = Math.min(f.grid - 1, Math.floor((x / f.kMax) * f.grid));
      const j = Math.min(f.grid - 1, Math.floor((y / f.kMax) * f.grid));
      return [f.v1[j * f.grid + i] as number, f.v2[j * f.grid + i] as number];
    },
    curves: [
      { label: 'trajectory', x: edgeSeries(traj, 0), y: edgeSeries(traj, 1), color: '#d62728' },
      { label: 'k1^2 + k2^2 = const', x: angles.map((a) => r0 * Math.cos(a)), y: angles.map((a) => r0 * Math.sin(a)), color: '#1f77b4', dash: '4 3' },
      { label: 'fixed-point ray (eta = 0)', x: [0, reach * rhoStar], y: [0, reach * (1 - rhoStar)], color: '#2ca02c', dash: '2 2' },
    ],
    points: [{ x: start[0], y: start[1] }],
  });
}
