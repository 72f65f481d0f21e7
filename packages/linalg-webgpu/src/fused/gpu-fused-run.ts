import { GpuComputeError } from '../errors.js';
import type { GpuContext } from '../gpu/gpu-context.js';
import { toPair, type ProductMode } from '../kernels/double-float.wgsl.js';
import { controlWords, FUSED_UNIFORM_BYTES, fusedStepWgsl, packedWords, scratchLayout, stateCount, type FusedShape } from '../kernels/fused-step.wgsl.js';
import { uniformKind } from './fused-parameters.js';
import type { FusedPlan } from './fused-request.js';
import type { FusedTopology } from './fused-topology.js';

/** Free nodes per system up to which the fused (dense, one workgroup per circuit) step runs. */
export const FUSED_NODE_LIMIT = 1024;
/** Steps per submission whose mini-batches the batch table holds (the trainer's chunks are at most this long). */
export const FUSED_BATCH_STEPS = 256;

const RULES = { ep: 0, cl: 1, al: 2 } as const;
const NUDGES = { zero: 0, finite: 1, symmetric: 2 } as const;
const BOUNDARIES = { remove: 0, reflect: 1, clip: 2 } as const;

/** Per-circuit control words read back after a batch of steps. */
export interface FusedControl {
  /** 0 running, 1 pivot not positive (cut-off node or float32 breakdown), 2 refinement missed the tolerance. */
  readonly status: Uint32Array;
  readonly steps: Uint32Array;
  readonly failedStep: Uint32Array;
  /** `circuits x m`: 1 where the edge was removed. */
  readonly removed: Uint8Array;
  /** Boundary hits per circuit as `(edge, step)` pairs (in order), and how many overflowed. */
  readonly hits: { edge: number; step: number }[][];
  readonly overflow: number[];
}

/** The kernel shape of a plan on this device (workgroup size, factor placement, product mode). */
function fusedShape(ctx: GpuContext, plan: FusedPlan, topology: FusedTopology, productMode: ProductMode): FusedShape {
  const { request } = plan;
  const nf = Math.max(topology.nfA, topology.nfB);
  if (nf > FUSED_NODE_LIMIT) throw new GpuComputeError(`the fused step handles at most ${FUSED_NODE_LIMIT} free nodes per circuit, got ${nf}`);
  if (topology.nfA === 0 || (request.rule !== 'ep' && topology.nfB === 0)) throw new GpuComputeError('every node is held: nothing to solve');
  const workgroupSize = nf <= 64 ? 64 : nf <= 256 ? 128 : 256;
  return {
    circuits: plan.circuits,
    n: plan.n,
    m: plan.m,
    nIn: request.inputNodes.length,
    p: request.outputNodes.length,
    samples: plan.batch,
    allSamples: plan.samples,
    batched: plan.batched,
    nfA: topology.nfA,
    nfB: topology.nfB,
    rule: RULES[request.rule],
    nudge: NUDGES[request.nudge],
    boundary: BOUNDARIES[plan.boundary],
    kind: uniformKind(plan.kinds),
    tolerance: plan.tolerance,
    maxSweeps: plan.maxSweeps,
    workgroupSize,
    factorInWorkgroup: 4 * packedWords(topology) + 8 * workgroupSize + 64 <= ctx.workgroupBytes,
    eventCapacity: 4 * plan.m + 64,
    offsets: topology.offsets,
    productMode,
  };
}

/** Bytes of the per-circuit buffers of a shape (each must fit one storage binding). */
function bufferBytes(shape: FusedShape): Record<'volts' | 'scratch' | 'params' | 'control', number> {
  const C = shape.circuits;
  return {
    volts: 8 * C * stateCount(shape.nudge) * shape.samples * shape.n,
    scratch: 4 * C * scratchLayout(shape).words,
    params: 16 * C * shape.m,
    control: 4 * C * controlWords(shape.m, shape.eventCapacity),
  };
}

/**
 * Most circuits one run can hold under the device's binding limit (0 when not even one fits);
 * larger batches are split into several runs (`gpu-fused-groups.ts`).
 */
export function circuitsPerRun(ctx: GpuContext, plan: FusedPlan, topology: FusedTopology, productMode: ProductMode): number {
  const one = bufferBytes({ ...fusedShape(ctx, plan, topology, productMode), circuits: 1 });
  const worst = Math.max(...Object.values(one));
  return Math.min(plan.circuits, Math.floor(ctx.maxBindingBytes / worst));
}

function pairs(values: ArrayLike<number>): Float32Array {
  const out = new Float32Array(2 * values.length);
  for (let i = 0; i < values.length; i++) out.set(toPair(values[i]!), 2 * i);
  return out;
}

function unpair(data: Float32Array, count: number, offset = 0): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) out[i] = data[offset + 2 * i]! + data[offset + 2 * i + 1]!;
  return out;
}

/**
 * The GPU side of a fused training run: resident buffers (topology, samples, parameters as
 * double-float pairs, voltages of every state, scratch, control, history) and the step kernel of
 * `fused-step.wgsl.ts`. One dispatch advances every circuit by one step; nothing is read back
 * until the host asks.
 */
export class GpuFusedRun {
  readonly shape: FusedShape;
  /** Steps encoded so far (the history slot base of the next batch). */
  encoded = 0;
  private readonly pipeline: GPUComputePipeline;
  private readonly buffers: Record<'topo' | 'samples' | 'params' | 'volts' | 'scratch' | 'control' | 'uniform', GPUBuffer>;
  private readonly uniformWords = new Float32Array(FUSED_UNIFORM_BYTES / 4);

  constructor(
    private readonly ctx: GpuContext,
    private readonly plan: FusedPlan,
    topology: FusedTopology,
    productMode: ProductMode,
  ) {
    this.shape = fusedShape(ctx, plan, topology, productMode);
    const C = plan.circuits;
    const sizes = bufferBytes(this.shape);
    for (const [name, bytes] of Object.entries(sizes)) {
      if (bytes > ctx.maxBindingBytes) throw new GpuComputeError(`the fused ${name} buffer needs ${bytes} bytes, over the device's binding limit ${ctx.maxBindingBytes}; train fewer circuits at once`);
    }
    const params = new Float32Array(4 * C * plan.m);
    for (let c = 0; c < C; c++) params.set(pairs(plan.theta.subarray(c * plan.m, (c + 1) * plan.m)), 4 * c * plan.m);
    this.pipeline = ctx.pipeline(fusedStepWgsl(this.shape), 'main');
    this.buffers = {
      topo: ctx.upload(topology.table),
      samples: ctx.upload(this.sampleTable()),
      params: ctx.upload(params),
      volts: ctx.storage(sizes.volts),
      scratch: ctx.storage(sizes.scratch),
      control: ctx.storage(sizes.control),
      uniform: ctx.device.createBuffer({ size: FUSED_UNIFORM_BYTES, usage: 0x40 | 0x8 }),
    };
    this.setUniforms();
  }

  /** Samples as df32 pairs (inputs, then targets), then room for the batch table (f32 indices, FUSED_BATCH_STEPS x batch). */
  private sampleTable(): Float32Array {
    const { plan } = this;
    const data = pairs([...plan.request.samples.inputs, ...plan.request.samples.targets]);
    if (!plan.batched) return data;
    const out = new Float32Array(data.length + FUSED_BATCH_STEPS * plan.batch);
    out.set(data);
    return out;
  }

  private setUniforms(): void {
    const { plan } = this;
    const { eta, batch: S } = plan;
    const nudge = plan.request.nudge;
    const gscale = nudge === 'zero' ? 1 / S : nudge === 'finite' ? 1 / (2 * eta * S) : 1 / (4 * eta * S);
    const w1 = nudge === 'zero' ? 1 : eta;
    [plan.request.alpha, plan.level, gscale, w1, -eta, 1 / (2 * S)].forEach((v, i) => this.uniformWords.set(toPair(v), 2 * i));
  }

  /**
   * Encodes and submits `count` steps (one dispatch each), recording their history into a fresh
   * buffer that is returned (read it with {@link readHistory}).
   */
  submitSteps(count: number, batches?: Uint32Array): GPUBuffer {
    const { ctx, plan } = this;
    if (plan.batched) {
      if (count > FUSED_BATCH_STEPS || batches?.length !== count * plan.batch) throw new GpuComputeError(`a batched fused submission takes 1..${FUSED_BATCH_STEPS} steps with their sample indices`);
      const at = 2 * plan.samples * (plan.request.inputNodes.length + plan.request.outputNodes.length);
      ctx.device.queue.writeBuffer(this.buffers.samples, 4 * at, Float32Array.from(batches));
    }
    const words = new Uint32Array(this.uniformWords.buffer);
    words[12] = this.encoded;
    words[13] = count;
    ctx.device.queue.writeBuffer(this.buffers.uniform, 0, this.uniformWords.buffer);
    const history = ctx.storage(16 * plan.circuits * count);
    const b = this.buffers;
    const group = ctx.bind(this.pipeline, [b.topo, b.samples, b.params, b.volts, b.scratch, b.control, history, b.uniform]);
    const gx = Math.min(plan.circuits, ctx.maxWorkgroups);
    const gy = Math.ceil(plan.circuits / gx);
    ctx.submitPass((pass) => {
      pass.setPipeline(this.pipeline);
      pass.setBindGroup(0, group);
      for (let i = 0; i < count; i++) pass.dispatchWorkgroups(gx, gy);
    });
    this.encoded += count;
    return history;
  }

  /** History `[loss, worst relative residual, sweeps]` per circuit and step of a batch (then frees it). */
  async readHistory(history: GPUBuffer, count: number): Promise<{ loss: Float64Array; residual: Float32Array; sweeps: Float32Array }> {
    try {
      const raw = await this.ctx.readFloat32(history, 0, 16 * this.plan.circuits * count);
      const total = this.plan.circuits * count;
      const loss = new Float64Array(total);
      const residual = new Float32Array(total);
      const sweeps = new Float32Array(total);
      for (let i = 0; i < total; i++) {
        loss[i] = raw[4 * i]! + raw[4 * i + 1]!;
        residual[i] = raw[4 * i + 2]!;
        sweeps[i] = raw[4 * i + 3]!;
      }
      return { loss, residual, sweeps };
    } finally {
      history.destroy();
    }
  }

  /** Status, step counters, removed flags and boundary hits of every circuit; resets the hit lists. */
  async readControl(): Promise<FusedControl> {
    const { plan, shape } = this;
    const words = controlWords(plan.m, shape.eventCapacity);
    const raw = new Uint32Array(await this.ctx.readBytes(this.buffers.control, 0, 4 * plan.circuits * words));
    const C = plan.circuits;
    const status = new Uint32Array(C);
    const steps = new Uint32Array(C);
    const failedStep = new Uint32Array(C);
    const removed = new Uint8Array(C * plan.m);
    const hits: { edge: number; step: number }[][] = [];
    const overflow: number[] = [];
    for (let c = 0; c < C; c++) {
      const o = c * words;
      status[c] = raw[o]!;
      steps[c] = raw[o + 1]!;
      failedStep[c] = raw[o + 2]!;
      for (let j = 0; j < plan.m; j++) removed[c * plan.m + j] = raw[o + 4 + j]! & 1;
      const count = raw[o + 3]!;
      const kept = Math.min(count, shape.eventCapacity);
      hits.push(Array.from({ length: kept }, (_, h) => ({ edge: raw[o + 4 + plan.m + 2 * h]!, step: raw[o + 5 + plan.m + 2 * h]! })));
      overflow.push(count - kept);
      if (count > 0) this.ctx.device.queue.writeBuffer(this.buffers.control, 4 * (o + 3), new Uint32Array(1));
    }
    return { status, steps, failedStep, removed, hits, overflow };
  }

  /** Parameters theta and the conductances k the last step used (`circuits x m` each, float64). */
  async readParameters(): Promise<{ theta: Float64Array; kUsed: Float64Array }> {
    const { m, circuits } = this.plan;
    const raw = await this.ctx.readFloat32(this.buffers.params, 0, 16 * circuits * m);
    const theta = new Float64Array(circuits * m);
    const kUsed = new Float64Array(circuits * m);
    for (let c = 0; c < circuits; c++) {
      theta.set(unpair(raw, m, 4 * c * m), c * m);
      kUsed.set(unpair(raw, m, 4 * c * m + 2 * m), c * m);
    }
    return { theta, kUsed };
  }

  /** The last step's states of circuit `c`: one `samples x n` float64 array per state. */
  async readStates(c: number): Promise<Float64Array[]> {
    const { n, batch } = this.plan;
    const per = batch * n;
    const count = stateCount(this.shape.nudge);
    const raw = await this.ctx.readFloat32(this.buffers.volts, 8 * c * count * per, 8 * count * per);
    return Array.from({ length: count }, (_, s) => unpair(raw, per, 2 * s * per));
  }

  dispose(): void {
    for (const b of Object.values(this.buffers)) b.destroy();
  }
}
