import { landscape, type Quantity } from '@ohmlab/analysis';
import type { LandscapeReply, LandscapeRequest } from '../worker/landscape-protocol.js';
import { chooseBackend, describeGpuEvent } from './backends.js';
import { buildCircuit } from './circuits.js';

type LandscapeResult = Omit<Extract<LandscapeReply, { type: 'result' }>, 'type' | 'elapsedMs'>;

const coercivityLabels = { ep: 'c_EP', cl: 'c_CL', al: 'c_AL' } as const;

/**
 * The requested quantity over the slice `k* + e1 u + e2 v` (paper 1, Figure 3), computed by
 * @ohmlab/analysis' `landscape` on the chosen backend (WebGPU when available), with the first
 * output on the same grid for the level sets. `k*` is the circuit's conductances; `u` is the
 * normal of the output's level set and `v` a tangent vector (the analysis package's defaults).
 */
export async function computeLandscape(request: LandscapeRequest, notice: (message: string) => void): Promise<LandscapeResult> {
  const circuit = buildCircuit(request.circuit);
  const { backend, fallbackReason } = await chooseBackend(request.backend, (event) => notice(describeGpuEvent(event)));
  try {
    const quantity: Quantity = request.quantity === 'coercivity' ? request.rule : request.quantity;
    const result = await landscape(backend, circuit, { quantity, points: request.resolution, range: [-request.span, request.span] });
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
    const target = circuit.targets[0] ?? Number.NaN;
    const label = request.quantity === 'coercivity' ? `coercivity ${coercivityLabels[request.rule]}` : request.quantity === 'loss' ? 'loss L' : 'output y';
    return {
      field: {
        columns: n,
        rows: n,
        uRange: [result.e1[0] ?? 0, result.e1[n - 1] ?? 0],
        vRange: [result.e2[0] ?? 0, result.e2[n - 1] ?? 0],
        values,
        levelField: output,
        highlightLevel: target,
        valueLabel: label,
        levelLabel: 'output y',
        uLabel: 'e1 (along u, normal to the output level set)',
        vLabel: 'e2 (along v, tangent)',
        logColour: request.quantity !== 'output',
      },
      backendName: backend.name,
      fallbackReason,
      sliceDescription:
        `Slice k* + e1·u + e2·v through ${circuit.edgeFrom.length}-edge conductance space: k* = the circuit's conductances, ` +
        `u = (${result.u.map(component).join(', ')}), v = (${result.v.map(component).join(', ')}) (unit vectors). ` +
        `Target y* = ${target.toFixed(4)} V. Points where a conductance would be ≤ 0 are left blank.`,
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
