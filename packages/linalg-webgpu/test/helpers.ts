import { createCpuBackend, type Network, type SolverBackend } from '@ohmlab/linalg-cpu';
import { createWebGpuBackend, WebGpuUnavailableError, type WebGpuBackend, type WebGpuBackendOptions, type WebGpuEvent } from '../src/index.js';

/** A backend under test, or why it cannot run here. */
export interface BackendCase {
  readonly name: string;
  readonly backend?: SolverBackend;
  readonly skipReason?: string;
  readonly events: WebGpuEvent[];
}

/** Tries to start WebGPU; the reason is printed when it cannot (tests then skip, never silently). */
export async function probeWebGpu(options: WebGpuBackendOptions = {}): Promise<{ backend?: WebGpuBackend; reason?: string; events: WebGpuEvent[] }> {
  const events: WebGpuEvent[] = [];
  try {
    const backend = await createWebGpuBackend({ ...options, onEvent: (e) => events.push(e) });
    return { backend, events };
  } catch (e) {
    if (!(e instanceof WebGpuUnavailableError)) throw e;
    const reason = `WebGPU tests skipped: ${e.message}`;
    console.warn(reason);
    return { reason, events };
  }
}

let shared: Promise<{ backend?: WebGpuBackend; reason?: string; events: WebGpuEvent[] }> | undefined;

/**
 * The WebGPU backend of this test file (one device per test process, README "Lifetime"), created
 * on first use; release it with `releaseShared()` in `afterAll`.
 */
export function sharedWebGpu(): Promise<{ backend?: WebGpuBackend; reason?: string; events: WebGpuEvent[] }> {
  shared ??= probeWebGpu();
  return shared;
}

/** Drains and destroys the shared device (awaited, so no GPU work outlives the file). */
export async function releaseShared(): Promise<void> {
  const s = await shared;
  shared = undefined;
  await s?.backend?.disposeAsync();
}

/** Both backends: CPU always, WebGPU when an adapter exists. */
export async function availableBackends(): Promise<BackendCase[]> {
  const gpu = await sharedWebGpu();
  return [
    { name: 'cpu', backend: createCpuBackend(), events: [] },
    gpu.backend ? { name: 'webgpu', backend: gpu.backend, events: gpu.events } : { name: 'webgpu', skipReason: gpu.reason ?? 'unavailable', events: [] },
  ];
}

/**
 * Independent Kirchhoff check from the edges: max over free nodes of |injected - sum of currents
 * leaving|, relative to the largest edge current.
 */
export function kclDefect(network: Network, k: Float64Array, held: Uint32Array, v: Float64Array, injection?: { nodes: Uint32Array; values: Float64Array }): number {
  const n = network.nodeCount;
  const out = new Float64Array(n);
  let biggest = 0;
  for (let j = 0; j < network.edgeFrom.length; j++) {
    const u = network.edgeFrom[j]!;
    const w = network.edgeTo[j]!;
    const i = k[j]! * (v[u]! - v[w]!);
    out[u]! += i;
    out[w]! -= i;
    biggest = Math.max(biggest, Math.abs(i));
  }
  if (injection) for (let q = 0; q < injection.nodes.length; q++) out[injection.nodes[q]!]! -= injection.values[q]!;
  for (const d of held) out[d] = 0;
  let worst = 0;
  for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(out[i]!));
  return worst / Math.max(biggest, 1e-300);
}

/**
 * The relative residual of solver.ts (`SolveResult.residuals`) recomputed from the edge list:
 * `|b_F - (L x)_F| / (|b_F| + |L_FD x_D|)` over the free nodes (2-norms), independent of the
 * solver's own assembly.
 */
export function edgeResidual(network: Network, k: Float64Array, held: Uint32Array, v: Float64Array, injection?: { nodes: Uint32Array; values: Float64Array }): number {
  const n = network.nodeCount;
  const isHeld = new Uint8Array(n);
  for (const d of held) isHeld[d] = 1;
  const lx = new Float64Array(n);
  const coupling = new Float64Array(n);
  for (let j = 0; j < network.edgeFrom.length; j++) {
    const u = network.edgeFrom[j]!;
    const w = network.edgeTo[j]!;
    const i = k[j]! * (v[u]! - v[w]!);
    lx[u]! += i;
    lx[w]! -= i;
    if (isHeld[w]) coupling[u]! -= k[j]! * v[w]!;
    if (isHeld[u]) coupling[w]! -= k[j]! * v[u]!;
  }
  const b = new Float64Array(n);
  if (injection) for (let q = 0; q < injection.nodes.length; q++) b[injection.nodes[q]!]! += injection.values[q]!;
  let err = 0;
  let bb = 0;
  let cc = 0;
  for (let i = 0; i < n; i++) {
    if (isHeld[i]) continue;
    err += (b[i]! - lx[i]!) ** 2;
    bb += b[i]! ** 2;
    cc += coupling[i]! ** 2;
  }
  return Math.sqrt(err) / Math.max(Math.sqrt(bb) + Math.sqrt(cc), 1e-300);
}

export function maxAbsDiff(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Seeded uniform numbers in [lo, hi) (mulberry32). */
export function seeded(seed: number): (lo: number, hi: number) => number {
  let a = seed >>> 0;
  return (lo, hi) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  };
}

/** Largest absolute difference relative to the largest |b| (infinite entries must match exactly). */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) d = Math.max(d, Math.abs(a[i]! - b[i]!));
    if (Number.isFinite(b[i]!)) s = Math.max(s, Math.abs(b[i]!));
  }
  return d / Math.max(s, 1e-300);
}
