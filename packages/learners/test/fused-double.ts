/**
 * A float64 test double of `SolverBackend.fusedTrainer` (the contract of linalg-cpu/src/solver.ts),
 * written from the contract, not from learners' trainer: each step solves the states with
 * `computeStates` on the wrapped backend, takes `edgeContrast`, sets `theta <- theta - alpha f'(theta) g`
 * (per-edge parametrisation `k = theta`, `1/theta` or `exp(theta)`) and applies the boundary rule
 * (none for log edges); a disconnection, or a resistance reaching 0 without `clip`, stops it. Faults can be injected to test the hand-over paths.
 * The real GPU kernel is tested against learners in linalg-webgpu/test.
 */
import type { Circuit } from '@ohmlab/graph';
import type { FusedEvent, FusedTrainer, FusedTrainerRequest, FusedTrainerState, SolverBackend } from '@ohmlab/linalg-cpu';
import { adjointLoss, computeStates, DisconnectedCircuitError, edgeContrast, outputLoss } from '../src/index.js';

export interface Faults {
  /** Report a lost boundary event from this step on. */
  readonly lostEventsFrom?: number;
  /** `step()` throws once this many steps are done. */
  readonly failAt?: number;
  /** Report a fallback to the CPU after this step (the steps go on, as the GPU trainer does). */
  readonly fallbackAt?: number;
  /** Start on the CPU (the device declined), with a fallback event at step 0. */
  readonly startOnCpu?: boolean;
  /** The base loss of this step is NaN. */
  readonly nanAt?: number;
}

/** Counters of what the double was asked to do. */
export interface FusedCalls {
  trainers: number;
  stepCalls: number;
  steps: number;
  disposed: number;
}

class DoubleTrainer implements FusedTrainer {
  readonly circuits = 1;
  readonly edges: number;
  runsOn: string;
  private readonly theta: Float64Array;
  private readonly removed: Uint8Array;
  private readonly level: number;
  /** Per edge: 0 conductance, 1 resistance, 2 log. */
  private readonly kinds: Uint8Array;
  private steps = 0;
  private stopped = false;
  private readonly loss: number[] = [];
  private readonly events: FusedEvent[] = [];

  constructor(
    private readonly inner: SolverBackend,
    private readonly req: FusedTrainerRequest,
    private readonly faults: Faults,
    private readonly calls: FusedCalls,
  ) {
    this.edges = req.network.edgeFrom.length;
    const names = ['conductance', 'resistance', 'log'];
    const spec = req.parametrisation ?? 'conductance';
    this.kinds = Uint8Array.from({ length: this.edges }, (_, j) => names.indexOf(typeof spec === 'string' ? spec : spec[j]!));
    this.theta = req.parameters?.slice() ?? req.conductances.map((k, j) => [k, 1 / k, Math.log(k)][this.kinds[j]!]!);
    this.removed = new Uint8Array(this.edges);
    const boundary = req.boundary ?? 'remove';
    this.level = boundary === 'clip' ? (req.floor ?? 1e-6 * Math.max(...this.theta.map(Math.abs))) : 0;
    this.runsOn = faults.startOnCpu ? 'cpu' : 'test-device';
    if (faults.startOnCpu) this.events.push({ kind: 'fallback', step: 0, reason: 'no device (test double)' });
  }

  async step(count: number, batches?: Uint32Array): Promise<void> {
    const B = this.req.batchSize;
    if ((B === undefined) !== (batches === undefined) || (batches && batches.length !== count * B!)) throw new Error('batches do not match batchSize (test double)');
    this.calls.stepCalls++;
    for (let i = 0; i < count && !this.stopped; i++) {
      if (this.steps === this.faults.failAt) throw new Error('device failure (test double)');
      await this.one(batches?.subarray(i * B!, (i + 1) * B!));
      if (this.steps === this.faults.fallbackAt) {
        this.runsOn = 'cpu';
        this.events.push({ kind: 'fallback', step: this.steps, reason: 'device lost (test double)' });
      }
    }
  }

  /** One step on all samples, or on the mini-batch `indices`. */
  private async one(indices?: Uint32Array): Promise<void> {
    const { req } = this;
    const whole = req.network as Circuit;
    const circuit = indices ? { ...whole, samples: Array.from(indices, (q) => whole.samples![q]!) } : whole;
    const k = this.conductances();
    let states;
    try {
      states = await computeStates(this.inner, circuit, { rule: req.rule, nudge: req.nudge, ...(req.eta !== undefined ? { eta: req.eta } : {}), conductances: k });
    } catch (e) {
      if (!(e instanceof DisconnectedCircuitError)) throw e;
      this.stopped = true;
      this.events.push({ kind: 'stopped', circuit: 0, step: this.steps, message: e.message });
      return;
    }
    this.loss.push(this.steps === this.faults.nanAt ? Number.NaN : states.base.kind === 'free' ? outputLoss(states.base) : adjointLoss(states.base));
    const g = edgeContrast({ ...circuit, conductances: k }, states);
    if (this.update(g)) {
      this.steps++;
      this.calls.steps++;
    } else {
      this.loss.pop();
    }
  }

  /** k = f(theta), 0 for removed edges and conductances/resistances at or below 0. */
  private conductances(): Float64Array {
    return this.theta.map((t, j) => (this.removed[j] || (this.kinds[j] !== 2 && t <= 0) ? 0 : [t, 1 / t, Math.exp(t)][this.kinds[j]!]!));
  }

  /** theta <- theta - alpha f'(theta) g with the boundary rule; false (nothing applied) at a short circuit. */
  private update(g: Float64Array): boolean {
    const { alpha } = this.req;
    const boundary = this.req.boundary ?? 'remove';
    const kind = { remove: 'removed', reflect: 'reflected', clip: 'clipped' } as const;
    const after = this.theta.slice();
    const hits: number[] = [];
    for (let j = 0; j < this.edges; j++) {
      const t = this.theta[j]!;
      const bounded = this.kinds[j] !== 2;
      let v = -[1, -1 / (t * t), Math.exp(t)][this.kinds[j]!]! * g[j]!;
      if (this.removed[j] || (bounded && t <= this.level && v < 0)) v = 0;
      after[j] = t + alpha * v;
      if (!bounded || this.removed[j] || !(t > this.level && after[j]! <= this.level)) continue;
      if (this.kinds[j] === 1 && boundary !== 'clip') {
        this.stopped = true;
        this.events.push({ kind: 'stopped', circuit: 0, step: this.steps, message: `resistance of edge ${j} would reach 0 (test double)` });
        return false;
      }
      after[j] = this.level;
      hits.push(j);
    }
    this.theta.set(after);
    for (const j of hits) {
      if (boundary === 'remove') this.removed[j] = 1;
      this.events.push({ kind: kind[boundary], circuit: 0, edge: j, step: this.steps + 1 });
    }
    return true;
  }

  read(): Promise<FusedTrainerState> {
    const lost = this.faults.lostEventsFrom !== undefined && this.steps >= this.faults.lostEventsFrom ? 1 : 0;
    return Promise.resolve({
      steps: Uint32Array.of(this.steps),
      parameters: this.theta.slice(),
      conductances: this.conductances(),
      removed: this.removed.slice(),
      loss: [Float64Array.from(this.loss)],
      events: this.events.slice(),
      runsOn: this.runsOn,
      lostEvents: lost,
      checks: { count: 0, residual: 0, update: 0 },
    });
  }

  dispose(): void {
    this.calls.disposed++;
  }
}

/** `inner` with a `fusedTrainer` (the double) and counters of its use and of `factor` calls. */
export function withFusedDouble(inner: SolverBackend, faults: Faults = {}): SolverBackend & { readonly calls: FusedCalls & { factors: number } } {
  const calls = { trainers: 0, stepCalls: 0, steps: 0, disposed: 0, factors: 0 };
  return {
    name: `${inner.name}+fused-double`,
    description: `${inner.description} with a float64 fused-trainer double`,
    calls,
    factor(request) {
      calls.factors++;
      return inner.factor(request);
    },
    fusedTrainer(request) {
      calls.trainers++;
      return Promise.resolve(new DoubleTrainer(inner, request, faults, calls));
    },
    dispose: () => inner.dispose(),
  };
}
