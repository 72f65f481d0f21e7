import type { Circuit } from '@ohmlab/graph';
import { kiteLandscape, landscape, type Landscape, type Quantity } from '@ohmlab/analysis';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import type { LandscapeReply, LandscapeRequest } from '../worker/landscape-protocol.js';
import { chooseBackend, describeGpuEvent } from './backends.js';
import { buildCircuit } from './circuits.js';

type LandscapeResult = Omit<Extract<LandscapeReply, { type: 'result' }>, 'type' | 'elapsedMs'>;

const coercivityLabels = { ep: 'c_EP', cl: 'c_CL', al: 'c_AL' } as const;

/** A computed slice with what the page says about it. */
interface Slice {
  readonly result: Landscape;
  /** Value at the slice's origin (the kite's base point), when it is a grid point. */
  readonly atOrigin: number | null;
  readonly uLabel: string;
  readonly vLabel: string;
  readonly description: string;
}

/**
 * The kite's slice of paper 1, Figure 3 (@ohmlab/analysis `kiteLandscape`):
 * `k(s, r) = base + s e1 + r (e5 - e6)`, base = the lab's kite conductances (all 1), target t*.
 */
async function kiteSlice(backend: SolverBackend, circuit: Circuit, quantity: Quantity, request: LandscapeRequest): Promise<Slice> {
  const base = Array.from(circuit.conductances);
  const result = await kiteLandscape(backend, { base, quantity, points: request.resolution, range: [-request.span, request.span] });
  return {
    result,
    atOrigin: result.atOrigin,
    uLabel: `s (k1 = ${base[0]} + s: breaks the ratio condition k1/k2 = k3/k4)`,
    vLabel: `r (k5 = ${base[4]} + r, k6 = ${base[5]} − r: breaks k5 = k6)`,
    description:
      `Paper 1, Figure 3 slice of the kite: k(s, r) = (${base.map((k, j) => (j === 0 ? `${k} + s` : j === 4 ? `${k} + r` : j === 5 ? `${k} − r` : String(k))).join(', ')}). ` +
      `s = 0 is the ratio condition k1/k2 = k3/k4, r = 0 is k5 = k6; the origin is the paper's "non-coercive" point. ` +
      `Target y* = t* = ${result.targetLevel.toFixed(4)} V (the free output at the origin).`,
  };
}

/** Any other circuit: the generic slice `k* + e1 u + e2 v` (u normal to the output's level set, v a tangent). */
async function genericSlice(backend: SolverBackend, circuit: Circuit, quantity: Quantity, request: LandscapeRequest): Promise<Slice> {
  const result = await landscape(backend, circuit, { quantity, points: request.resolution, range: [-request.span, request.span] });
  const zero = result.e1.findIndex((x) => Math.abs(x) < 1e-12);
  return {
    result,
    atOrigin: zero >= 0 ? (result.values[zero]?.[zero] ?? null) : null,
    uLabel: 'e1 (along u, normal to the output level set)',
    vLabel: 'e2 (along v, tangent)',
    description:
      `Slice k* + e1·u + e2·v through ${circuit.edgeFrom.length}-edge conductance space: k* = the circuit's conductances, ` +
      `u = (${result.u.map(component).join(', ')}), v = (${result.v.map(component).join(', ')}) (unit vectors). ` +
      `Target y* = ${result.targetLevel.toFixed(4)} V. Points where a conductance would be ≤ 0 are left blank.`,
  };
}

/**
 * The requested quantity over a 2-D slice (paper 1, Figure 3), computed by @ohmlab/analysis on the
 * chosen backend (WebGPU when available: the whole grid is one batched factorization per Dirichlet
 * set there), with the first output on the same grid for the level sets. The kite gets the paper's
 * slice (`kiteLandscape`), every other circuit the generic one (`landscape`).
 */
export async function computeLandscape(request: LandscapeRequest, notice: (message: string) => void): Promise<LandscapeResult> {
  const circuit = buildCircuit(request.circuit);
  const { backend, fallbackReason } = await chooseBackend(request.backend, (event) => notice(describeGpuEvent(event)));
  try {
    const quantity: Quantity = request.quantity === 'coercivity' ? request.rule : request.quantity;
    const slice = await (request.circuit.kind === 'kite' ? kiteSlice : genericSlice)(backend, circuit, quantity, request);
    const { result } = slice;
    const n = result.e1.length;
    const values = new Float64Array(n * n);
    const output = new Float64Array(n * n);
    // landscape: values[a][b] at (e1[a], e2[b]); the heatmap: row = e2 index, column = e1 index.
    for (let a = 0; a < n; a += 1) {
      for (let b = 0; b < n; b += 1) {
        values[b * n + a] = result.values[a]?.[b] ?? Number.NaN;
        output[b * n + a] = result.output[a]?.[b] ?? Number.NaN;
      }
    }
    const label = request.quantity === 'coercivity' ? `coercivity ${coercivityLabels[request.rule]}` : request.quantity === 'loss' ? 'loss L' : 'output y';
    return {
      field: {
        columns: n,
        rows: n,
        uRange: [result.e1[0] ?? 0, result.e1[n - 1] ?? 0],
        vRange: [result.e2[0] ?? 0, result.e2[n - 1] ?? 0],
        values,
        levelField: output,
        highlightLevel: result.targetLevel,
        valueLabel: label,
        levelLabel: 'output y',
        uLabel: slice.uLabel,
        vLabel: slice.vLabel,
        logColour: request.quantity !== 'output',
      },
      atOrigin: slice.atOrigin,
      backendName: backend.name,
      fallbackReason,
      sliceDescription: slice.description,
    };
  } finally {
    backend.dispose();
  }
}

/** A direction component with three decimals and no negative zero. */
function component(x: number): string {
  const text = x.toFixed(3);
  return Number(text) === 0 ? '0' : text;
}
