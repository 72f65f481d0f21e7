import { GpuComputeError } from '../errors.js';
import type { GpuContext } from '../gpu/gpu-context.js';
import type { ProductMode } from '../kernels/double-float.wgsl.js';
import { planFusedTraining, type FusedPlan } from './fused-request.js';
import type { FusedTopology } from './fused-topology.js';
import { circuitsPerRun, GpuFusedRun, type FusedControl } from './gpu-fused-run.js';

interface Group {
  readonly run: GpuFusedRun;
  readonly first: number;
  readonly count: number;
}

/**
 * The circuits of one fused training run split into as many GPU runs as the device's binding
 * limit needs (chunking instead of failing), driven in lockstep and read back as one.
 */
export class GpuFusedGroups {
  private constructor(
    private readonly groups: Group[],
    private readonly circuits: number,
    private readonly m: number,
  ) {}

  static create(ctx: GpuContext, plan: FusedPlan, topology: FusedTopology, mode: ProductMode): GpuFusedGroups {
    const per = circuitsPerRun(ctx, plan, topology, mode);
    if (per < 1) throw new GpuComputeError(`one circuit of this run does not fit the device's storage binding limit (${ctx.maxBindingBytes} bytes)`);
    const { m, circuits } = plan;
    const groups: Group[] = [];
    try {
      for (let first = 0; first < circuits; first += per) {
        const count = Math.min(per, circuits - first);
        const part = (a: Float64Array) => a.subarray(first * m, (first + count) * m);
        // same parameters and floor as the whole run (a default floor would follow the slice's own scale)
        const request = { ...plan.request, conductances: part(plan.request.conductances), parameters: part(plan.theta), ...(plan.boundary === 'clip' ? { floor: plan.level } : {}) };
        const slice = count === circuits ? plan : planFusedTraining(request);
        groups.push({ run: new GpuFusedRun(ctx, slice, topology, mode), first, count });
      }
    } catch (e) {
      for (const g of groups) g.run.dispose();
      throw e;
    }
    return new GpuFusedGroups(groups, circuits, m);
  }

  /** Boundary hits each circuit can record between two readbacks. */
  get eventCapacity(): number {
    return this.groups[0]!.run.shape.eventCapacity;
  }

  /** Steps encoded so far (the same in every group). */
  get encoded(): number {
    return this.groups[0]!.run.encoded;
  }

  /**
   * Runs `count` steps on every group (`batches`: their sample indices when batched); returns the
   * loss of circuit c, step i at `c * count + i`.
   */
  async runSteps(count: number, batches?: Uint32Array): Promise<Float64Array> {
    const handles = this.groups.map((g) => g.run.submitSteps(count, batches));
    const loss = new Float64Array(this.circuits * count);
    for (let k = 0; k < this.groups.length; k++) {
      const g = this.groups[k]!;
      loss.set((await g.run.readHistory(handles[k]!, count)).loss, g.first * count);
    }
    return loss;
  }

  async readControl(): Promise<FusedControl> {
    const parts: FusedControl[] = [];
    for (const g of this.groups) parts.push(await g.run.readControl());
    const cat = (pick: (c: FusedControl) => Uint32Array) => Uint32Array.from(parts.flatMap((p) => [...pick(p)]));
    const removed = new Uint8Array(this.circuits * this.m);
    parts.forEach((p, k) => removed.set(p.removed, this.groups[k]!.first * this.m));
    return {
      status: cat((p) => p.status),
      steps: cat((p) => p.steps),
      failedStep: cat((p) => p.failedStep),
      removed,
      hits: parts.flatMap((p) => p.hits),
      overflow: parts.flatMap((p) => p.overflow),
    };
  }

  async readParameters(): Promise<{ theta: Float64Array; kUsed: Float64Array }> {
    const theta = new Float64Array(this.circuits * this.m);
    const kUsed = new Float64Array(this.circuits * this.m);
    for (const g of this.groups) {
      const part = await g.run.readParameters();
      theta.set(part.theta, g.first * this.m);
      kUsed.set(part.kUsed, g.first * this.m);
    }
    return { theta, kUsed };
  }

  /** States of the last step of circuit `c` (global index). */
  readStates(c: number): Promise<Float64Array[]> {
    const g = this.groups.find((x) => c >= x.first && c < x.first + x.count)!;
    return g.run.readStates(c - g.first);
  }

  dispose(): void {
    for (const g of this.groups) g.run.dispose();
  }
}
