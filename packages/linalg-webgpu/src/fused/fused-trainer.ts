import { SolverError } from '@ohmlab/linalg-cpu';
import type { EventSink } from '../backend-events.js';
import type { GpuContext } from '../gpu/gpu-context.js';
import type { ProductMode } from '../kernels/double-float.wgsl.js';
import { pickProductMode } from './df-self-test.js';
import { batchPlan, checkBatches, planFusedTraining, type FusedPlan, type FusedTrainerRequest } from './fused-request.js';
import type { FusedEvent, FusedTrainer, FusedTrainerState } from './fused-trainer-types.js';
import { buildFusedTopology } from './fused-topology.js';
import { GpuFusedGroups } from './gpu-fused-groups.js';
import type { FusedControl } from './gpu-fused-run.js';
import { RESISTANCE, stepConductances } from './fused-parameters.js';
import { checkGrounded, hostStep, isCircuitStop, type BoundaryHit } from './host-step.js';
import { verifyStep } from './verify-step.js';

const HIT_KIND = { remove: 'removed', reflect: 'reflected', clip: 'clipped' } as const;
/** Largest relative update mismatch a float64 check accepts (df32 rounding is ~1e-13). */
const UPDATE_CHECK = 1e-9;

interface Checkpoint {
  readonly theta: Float64Array;
  readonly removed: Uint8Array;
  readonly steps: Uint32Array;
  readonly lossLengths: number[];
  readonly eventCount: number;
}

/** The host side of a fused run: mirrors, checkpoints, GPU segments, checks and the CPU path. */
class FusedRun implements FusedTrainer {
  readonly circuits: number;
  readonly edges: number;
  runsOn: 'webgpu' | 'cpu';
  private theta: Float64Array;
  private removed: Uint8Array;
  private readonly steps: Uint32Array;
  private readonly stopped: Uint8Array;
  private readonly loss: number[][];
  private readonly events: FusedEvent[] = [];
  private checkpoint: Checkpoint;
  /** Steps per submission: starts at 1 and doubles while a chunk takes < 250 ms (short waits under the watchdog). */
  private chunk = 1;
  private verified = 0;
  private lostEvents = 0;
  /** The sample indices of the current `step()` call and the step of each circuit where it began. */
  private batches: { indices: Uint32Array | undefined; start: Uint32Array };
  private readonly worst = { residual: 0, update: 0 };

  constructor(
    private readonly plan: FusedPlan,
    private gpu: GpuFusedGroups | undefined,
    private readonly sink: EventSink,
    startReason?: string,
  ) {
    this.circuits = plan.circuits;
    this.edges = plan.m;
    this.runsOn = gpu ? 'webgpu' : 'cpu';
    this.theta = plan.theta.slice();
    this.removed = new Uint8Array(this.theta.length);
    this.steps = new Uint32Array(plan.circuits);
    this.stopped = new Uint8Array(plan.circuits);
    this.loss = Array.from({ length: plan.circuits }, () => []);
    if (startReason) this.events.push({ kind: 'fallback', step: 0, reason: startReason });
    this.checkpoint = this.snapshot();
    this.batches = { indices: undefined, start: this.steps.slice() };
  }

  private snapshot(): Checkpoint {
    return { theta: this.theta.slice(), removed: this.removed.slice(), steps: this.steps.slice(), lossLengths: this.loss.map((l) => l.length), eventCount: this.events.length };
  }

  private restore(): void {
    const cp = this.checkpoint;
    this.theta = cp.theta.slice();
    this.removed = cp.removed.slice();
    this.steps.set(cp.steps);
    this.loss.forEach((l, c) => (l.length = cp.lossLengths[c]!));
    this.events.length = cp.eventCount;
  }

  async step(count: number, batches?: Uint32Array): Promise<void> {
    if (!Number.isInteger(count) || count < 0) throw new SolverError(`step count must be an integer >= 0, got ${count}`);
    checkBatches(this.plan, count, batches);
    // a restore never goes back past this call's start (every call ends with a checkpoint)
    this.batches = { indices: batches, start: this.steps.slice() };
    const target = this.steps.map((s) => s + count);
    let left = count;
    while (left > 0 && this.gpu) {
      const every = this.plan.verifyEvery;
      const untilCheck = every > 0 ? every - (this.gpu.encoded % every) : Number.POSITIVE_INFINITY;
      const seg = Math.min(left, this.chunk, untilCheck);
      if (!(await this.gpuSegment(seg, seg === untilCheck))) break;
      left -= seg;
    }
    if (this.gpu) await this.guarded(async () => this.commit((await this.gpu!.readParameters()).theta));
    if (!this.gpu) this.cpuSteps(target);
  }

  /** The samples of circuit c's steps `step .. step + count - 1` (undefined for full batches). */
  private batchOf(c: number, step: number, count = 1): Uint32Array | undefined {
    const { indices, start } = this.batches;
    const B = this.plan.batch;
    return indices?.subarray((step - start[c]!) * B, (step - start[c]! + count) * B);
  }

  /** Runs `body`; any error moves the run to the CPU from the last checkpoint. */
  private async guarded(body: () => Promise<boolean | void>): Promise<boolean> {
    try {
      return (await body()) !== false;
    } catch (e) {
      this.restore();
      this.fallback(`GPU failed (${(e as Error).message})`);
      return false;
    }
  }

  private commit(theta: Float64Array): void {
    this.theta = theta;
    this.checkpoint = this.snapshot();
  }

  private gpuSegment(seg: number, check: boolean): Promise<boolean> {
    return this.guarded(async () => {
      const gpu = this.gpu!;
      const t0 = performance.now();
      // on the GPU every circuit is at the same step (a stop or failure moves the run to the CPU)
      const loss = await gpu.runSteps(seg, this.batchOf(0, this.steps[0]!, seg));
      const ctl = await gpu.readControl();
      const busiest = Math.max(...ctl.hits.map((h) => h.length));
      if (busiest > gpu.eventCapacity / 4) this.chunk = Math.max(1, this.chunk >> 1);
      else if (performance.now() - t0 < 250) this.chunk = Math.min(256, 2 * this.chunk);
      this.record(ctl, loss, seg);
      const failed = ctl.status.findIndex((s) => s !== 0);
      if (failed >= 0) {
        const why = ctl.status[failed] === 1 ? 'a pivot was not positive (a node cut off, or float32 breakdown)' : `a state missed the relative residual ${this.plan.tolerance}`;
        this.theta = (await gpu.readParameters()).theta;
        this.fallback(`circuit ${failed} at step ${ctl.failedStep[failed]}: ${why}`);
        return false;
      }
      const stop = this.shorted(ctl) ? 'a resistance reached 0 (a short circuit)' : this.cutOff(ctl) ? 'an edge removal cut a node off from the inputs' : null;
      if (stop) {
        this.restore();
        this.fallback(`${stop}; the steps since the last checkpoint run on the CPU (where the circuit stops)`);
        return false;
      }
      return check ? this.check(ctl) : true;
    });
  }

  /** Appends a GPU batch's losses and boundary hits to the host record. */
  private record(ctl: FusedControl, loss: Float64Array, seg: number): void {
    for (let c = 0; c < this.circuits; c++) {
      const done = ctl.steps[c]! - this.steps[c]!;
      for (let i = 0; i < done; i++) this.loss[c]!.push(loss[c * seg + i]!);
      this.steps[c] = ctl.steps[c]!;
      for (const h of ctl.hits[c]!) this.events.push({ kind: HIT_KIND[this.plan.boundary], circuit: c, edge: h.edge, step: h.step });
      this.lostEvents += ctl.overflow[c]!;
    }
    this.removed = ctl.removed;
  }

  /** True when a resistance edge reached 0 without `clip` (learners stops there with `boundary`). */
  private shorted(ctl: FusedControl): boolean {
    const { kinds, boundary } = this.plan;
    return boundary !== 'clip' && ctl.hits.some((hits) => hits.some((h) => kinds[h.edge] === RESISTANCE));
  }

  /** True when an edge removal left a node without a path to an input (learners stops there). */
  private cutOff(ctl: FusedControl): boolean {
    if (this.plan.boundary !== 'remove' || ctl.hits.every((h) => h.length === 0)) return false;
    const m = this.edges;
    return ctl.hits.some((hits, c) => {
      if (hits.length === 0) return false;
      try {
        checkGrounded(this.plan, stepConductances(this.plan.kinds, Float64Array.from({ length: m }, () => 1), ctl.removed.subarray(c * m, (c + 1) * m)));
        return false;
      } catch {
        return true;
      }
    });
  }

  /** Float64 check of the last step of up to 4 circuits (rotating); a failure goes to the CPU. */
  private async check(ctl: FusedControl): Promise<boolean> {
    const gpu = this.gpu!;
    const m = this.edges;
    const { theta, kUsed } = await gpu.readParameters();
    const picks = Array.from({ length: Math.min(4, this.circuits) }, (_, i) => (this.verified + i) % this.circuits);
    for (const c of picks) {
      const states = await gpu.readStates(c);
      const step = this.steps[c]! - 1;
      const before = ctl.removed.slice(c * m, (c + 1) * m);
      for (const h of ctl.hits[c]!) if (h.step === step + 1) before[h.edge] = 0;
      const got = verifyStep(batchPlan(this.plan, this.batchOf(c, step)), kUsed.subarray(c * m, (c + 1) * m), states, theta.subarray(c * m, (c + 1) * m), before, step);
      this.worst.residual = Math.max(this.worst.residual, got.residual);
      this.worst.update = Math.max(this.worst.update, got.update);
      if (!(got.residual <= Math.max(10 * this.plan.tolerance, 1e-12) && got.update <= UPDATE_CHECK)) {
        this.restore();
        this.fallback(`float64 check of circuit ${c} at step ${step}: residual ${got.residual.toExponential(2)}, update error ${got.update.toExponential(2)}`);
        return false;
      }
    }
    this.verified += picks.length;
    this.commit(theta);
    return true;
  }

  private fallback(reason: string): void {
    this.gpu?.dispose();
    this.gpu = undefined;
    this.runsOn = 'cpu';
    const step = Math.min(...this.steps);
    this.events.push({ kind: 'fallback', step, reason });
    this.sink.fallback('fused-trainer', `${reason}; continuing on the CPU from step ${step}`);
  }

  /** Float64 steps on the CPU until every running circuit reaches its target. */
  private cpuSteps(target: Uint32Array): void {
    const m = this.edges;
    for (let c = 0; c < this.circuits; c++) {
      const theta = this.theta.subarray(c * m, (c + 1) * m);
      const removed = this.removed.subarray(c * m, (c + 1) * m);
      while (!this.stopped[c] && this.steps[c]! < target[c]!) {
        let hits: BoundaryHit[];
        try {
          const r = hostStep(batchPlan(this.plan, this.batchOf(c, this.steps[c]!)), theta, removed, this.steps[c]!);
          this.loss[c]!.push(r.loss);
          hits = r.hits;
        } catch (e) {
          if (!isCircuitStop(e)) throw e;
          this.stopped[c] = 1;
          this.events.push({ kind: 'stopped', circuit: c, step: this.steps[c]!, message: (e as Error).message });
          break;
        }
        this.steps[c]!++;
        for (const h of hits) this.events.push({ kind: HIT_KIND[this.plan.boundary], circuit: c, edge: h.edge, step: h.step });
      }
    }
    this.checkpoint = this.snapshot();
  }

  read(): Promise<FusedTrainerState> {
    return Promise.resolve({
      steps: this.steps.slice(),
      parameters: this.theta.slice(),
      conductances: stepConductances(this.plan.kinds, this.theta, this.removed),
      removed: this.removed.slice(),
      loss: this.loss.map((l) => Float64Array.from(l)),
      events: this.events.slice(),
      runsOn: this.runsOn,
      checks: { count: this.verified, ...this.worst },
      lostEvents: this.lostEvents,
    });
  }

  dispose(): void {
    this.gpu?.dispose();
    this.gpu = undefined;
  }
}

const productModes = new WeakMap<GpuContext, Promise<ProductMode | undefined>>();

/**
 * Starts a fused training run on the GPU (see `FusedTrainer`), or on the CPU with one reported
 * reason when the GPU cannot take it (device lost, double-float self-test failed, too large).
 * Throws `SolverError` for an invalid request, as the CPU would.
 */
export async function createFusedTrainer(ctx: GpuContext, sink: EventSink, request: FusedTrainerRequest): Promise<FusedTrainer> {
  const plan = planFusedTraining(request);
  let gpu: GpuFusedGroups | undefined;
  let reason = ctx.lost !== undefined ? `device lost (${ctx.lost})` : '';
  if (!reason) {
    try {
      if (!productModes.has(ctx)) productModes.set(ctx, pickProductMode(ctx));
      const mode = await productModes.get(ctx)!;
      if (mode) gpu = GpuFusedGroups.create(ctx, plan, buildFusedTopology(plan), mode);
      else reason = 'this device does not round float32 exactly (double-float self-test failed)';
    } catch (e) {
      reason = (e as Error).message;
    }
  }
  if (gpu) return new FusedRun(plan, gpu, sink);
  sink.fallback('fused-trainer', `${reason}; the fused trainer runs on the CPU`);
  return new FusedRun(plan, undefined, sink, reason);
}
