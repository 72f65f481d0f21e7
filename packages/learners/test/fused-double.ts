/**
 * A float64 test double of `SolverBackend.fusedTrainer` (the contract of linalg-cpu/src/solver.ts),
 * written from the contract, not from learners' trainer: each step solves the states with
 * `computeStates` on the wrapped backend, takes `edgeContrast`, sets `k <- k - alpha g` and applies
 * the boundary rule; a disconnection stops it. Faults can be injected to test the hand-over paths.
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
    this.theta = req.conductances.slice();
    this.removed = new Uint8Array(this.edges);
    const boundary = req.boundary ?? 'remove';
    this.level = boundary === 'clip' ? (req.floor ?? 1e-6 * Math.max(...req.conductances)) : 0;
    this.runsOn = faults.startOnCpu ? 'cpu' : 'test-device';
    if (faults.startOnCpu) this.events.push({ kind: 'fallback', step: 0, reason: 'no device (test double)' });
  }

  async step(count: number): Promise<void> {
    this.calls.stepCalls++;
    for (let i = 0; i < count && !this.stopped; i++) {
      if (this.steps === this.faults.failAt) throw new Error('device failure (test double)');
      await this.one();
      if (this.steps === this.faults.fallbackAt) {
        this.runsOn = 'cpu';
        this.events.push({ kind: 'fallback', step: this.steps, reason: 'device lost (test double)' });
      }
    }
  }

  private async one(): Promise<void> {
    const { req } = this;
    const circuit = req.network as Circuit;
    const k = this.theta.map((t, j) => (this.removed[j] || t <= 0 ? 0 : t));
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
    const kind = { remove: 'removed', reflect: 'reflected', clip: 'clipped' } as const;
    for (let j = 0; j < this.edges; j++) {
      let v = -g[j]!;
      if (this.removed[j] || (this.theta[j]! <= this.level && v < 0)) v = 0;
      const before = this.theta[j]!;
      this.theta[j] = before + req.alpha * v;
      if (!this.removed[j] && before > this.level && this.theta[j]! <= this.level) {
        this.theta[j] = this.level;
        if ((req.boundary ?? 'remove') === 'remove') this.removed[j] = 1;
        this.events.push({ kind: kind[req.boundary ?? 'remove'], circuit: 0, edge: j, step: this.steps + 1 });
      }
    }
    this.steps++;
    this.calls.steps++;
  }

  read(): Promise<FusedTrainerState> {
    const lost = this.faults.lostEventsFrom !== undefined && this.steps >= this.faults.lostEventsFrom ? 1 : 0;
    return Promise.resolve({
      steps: Uint32Array.of(this.steps),
      parameters: this.theta.slice(),
      conductances: this.theta.map((t, j) => (this.removed[j] || t <= 0 ? 0 : t)),
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
