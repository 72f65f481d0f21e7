import { removeEdges, withConductances, type Circuit } from '@ohmlab/graph';
import { LOG, parametrisationKinds, trainDiscrete, type ExperimentConfig, type TrainingEvent, type TrainingResult } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';

/**
 * The Lab trains step by step (Run / Pause / Step), but @ohmlab/learners' `trainDiscrete` runs a
 * whole budget from a circuit's conductances. This class continues a run chunk by chunk by calling
 * `trainDiscrete` again from a *checkpoint*: a circuit the trainer can start from with the same
 * state. No update is computed here.
 *
 * - `remove`: removed edges leave the checkpoint circuit (graph's `removeEdges`), so a chunk
 *   continues exactly.
 * - `reflect` / `clip`: an edge resting on its boundary (k = 0, or theta at the floor) cannot be
 *   handed to a new trainer (it rejects a start on the boundary), so while any edge rests the
 *   checkpoint stays where it was and the next chunk replays from it (same result, more work).
 * Mini-batches are not used (full batch), so chunks do not change the sample order.
 */
export interface ChunkPoint {
  /** Lab step (0 = the start of the run). */
  readonly step: number;
  readonly loss: number;
  readonly weightedLoss: number;
  readonly adjointLoss: number;
  readonly mass: number;
  /** Conductances in the original edge order (0 for removed edges). */
  readonly conductances: Float64Array;
  /** 1 for edges removed at or before this step. */
  readonly removed: Uint8Array;
  /** The circuit the solver sees at this step: removed edges left out, conductances set. */
  readonly activeCircuit: Circuit;
  /** Active edge index -> original edge index. */
  readonly activeEdges: Int32Array;
}

/** Events in the original edge order and lab steps. */
export interface ChunkOutcome {
  readonly points: readonly ChunkPoint[];
  readonly events: readonly TrainingEvent[];
  /** Why training cannot go on ('' when it can): loss tolerance, disconnection, boundary. */
  readonly stopReason: string;
}

interface Checkpoint {
  readonly circuit: Circuit;
  /** Checkpoint edge index -> original edge index. */
  readonly edges: Int32Array;
  readonly removed: Uint8Array;
  readonly step: number;
}

export class ChunkedTrainer {
  /** Lab steps taken so far. */
  step = 0;
  private checkpoint: Checkpoint;
  private readonly edgeCount: number;

  constructor(
    private readonly backend: SolverBackend,
    readonly experiment: ExperimentConfig & { readonly circuit: Circuit },
  ) {
    const circuit = experiment.circuit;
    this.edgeCount = circuit.edgeFrom.length;
    this.checkpoint = { circuit, edges: Int32Array.from({ length: this.edgeCount }, (_, j) => j), removed: new Uint8Array(this.edgeCount), step: 0 };
  }

  /** The state at step 0 (one evaluation, no update). */
  async start(): Promise<ChunkOutcome> {
    const result = await this.train(0);
    return this.outcome(result, -1);
  }

  /** Takes `count` more steps (fewer when training stops). */
  async advance(count: number): Promise<ChunkOutcome> {
    const cp = this.checkpoint;
    const done = this.step - cp.step;
    const result = await this.train(done + count);
    const outcome = this.outcome(result, done);
    this.step = cp.step + (result.final.step ?? done + count);
    if (outcome.stopReason === '') this.moveCheckpoint(result);
    return outcome;
  }

  private async train(steps: number): Promise<TrainingResult> {
    const e = this.experiment;
    return await trainDiscrete(this.backend, this.checkpoint.circuit, {
      rule: e.rule,
      nudge: e.nudge,
      ...(e.eta !== undefined && e.nudge !== 'zero' ? { eta: e.eta } : {}),
      alpha: e.alpha ?? Number.NaN,
      steps,
      recordEvery: 1,
      parametrisation: e.parametrisation,
      boundary: e.boundary,
      ...(e.floor !== undefined ? { floor: e.floor } : {}),
      ...(e.lossTolerance !== undefined ? { lossTolerance: e.lossTolerance } : {}),
      recordConductances: true,
    });
  }

  /** The points after chunk step `after` (all of them for -1), events mapped to the original edges. */
  private outcome(result: TrainingResult, after: number): ChunkOutcome {
    const cp = this.checkpoint;
    const h = result.history;
    const points: ChunkPoint[] = [];
    const steps = h.step ?? [];
    for (let i = 0; i < steps.length; i += 1) {
      const s = steps[i] ?? 0;
      if (s <= after) continue;
      const removedHere = result.events.filter((e) => e.kind === 'removed' && (e.step ?? 0) <= s).map((e) => e.edge);
      const active = removedHere.length > 0 ? removeEdges(cp.circuit, removedHere) : undefined;
      const kChunk = h.conductances?.[i] ?? new Float64Array(cp.circuit.edgeFrom.length);
      const conductances = new Float64Array(this.edgeCount);
      const removed = cp.removed.slice();
      cp.edges.forEach((original, j) => (conductances[original] = kChunk[j] ?? 0));
      for (const j of removedHere) removed[cp.edges[j] ?? 0] = 1;
      const activeEdges = active ? Int32Array.from(keptIndices(active.edgeMap), (j) => cp.edges[j] ?? -1) : cp.edges;
      const activeK = active ? Float64Array.from(keptIndices(active.edgeMap), (j) => kChunk[j] ?? 0) : kChunk;
      points.push({
        step: cp.step + s,
        loss: h.loss[i] ?? Number.NaN,
        weightedLoss: h.weightedLoss[i] ?? Number.NaN,
        adjointLoss: h.adjointLoss[i] ?? Number.NaN,
        mass: h.mass[i] ?? Number.NaN,
        conductances,
        removed,
        activeCircuit: withConductances(active?.circuit ?? cp.circuit, activeK),
        activeEdges,
      });
    }
    const events = result.events
      .filter((e) => (e.step ?? 0) > after)
      .map((e) => ({
        ...e,
        edge: e.edge >= 0 ? (cp.edges[e.edge] ?? e.edge) : -1,
        step: cp.step + (e.step ?? 0),
        ...(e.message !== undefined ? { message: labSteps(e.message, cp.step) } : {}),
      }));
    const stopReason = result.stop.reason === 'budget' ? '' : `${result.stop.reason}: ${labSteps(result.stop.message, cp.step)}`;
    return { points, events, stopReason };
  }

  /** Moves the checkpoint to the end of `result` unless an edge rests on its boundary. */
  private moveCheckpoint(result: TrainingResult): void {
    const cp = this.checkpoint;
    const e = this.experiment;
    const k = result.final.conductances;
    const kinds = parametrisationKinds(e.parametrisation, k.length);
    for (let j = 0; j < k.length; j += 1) {
      if (result.removedEdges.includes(j) || kinds[j] === LOG) continue;
      const resting = e.boundary === 'reflect' ? k[j] === 0 : e.boundary === 'clip' && (result.final.parameters[j] ?? 0) <= (e.floor ?? 0);
      if (resting) return;
    }
    const { circuit, edgeMap } = removeEdges(withConductances(cp.circuit, k), result.removedEdges);
    const removed = cp.removed.slice();
    for (const j of result.removedEdges) removed[cp.edges[j] ?? 0] = 1;
    this.checkpoint = { circuit, edges: Int32Array.from(keptIndices(edgeMap), (j) => cp.edges[j] ?? -1), removed, step: this.step };
  }
}

/** Old indices of the kept edges, in their new order (from graph's `removeEdges` edge map). */
function keptIndices(edgeMap: Int32Array): number[] {
  const kept: number[] = [];
  edgeMap.forEach((target, j) => {
    if (target >= 0) kept[target] = j;
  });
  return kept;
}

/** The trainer's messages count steps from the chunk's start ("step 2: ..."); say the lab's step. */
function labSteps(message: string, offset: number): string {
  return message.replace(/\bstep (\d+)\b/g, (_, n: string) => `step ${offset + Number(n)}`);
}
