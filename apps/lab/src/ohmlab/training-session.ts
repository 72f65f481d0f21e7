import type { Circuit } from '@ohmlab/graph';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import type { RunConfig } from '../core/run-config.js';
import type { CircuitSummary, RunEvent, StepRecord } from '../worker/train-protocol.js';
import { chooseBackend } from './backends.js';
import { buildCircuit, summarise } from './circuits.js';
import { api } from './packages.js';

/** One live training run as the Lab's worker drives it: step by step, with a record at any time. */
export interface TrainingSession {
  readonly circuit: CircuitSummary;
  readonly backendName: string;
  readonly backendDescription: string;
  readonly fallbackReason: string;
  /** Steps taken so far. */
  readonly stepCount: number;
  /** Loss, conserved quantity, coercivity, conductances, currents, removals at the current point. */
  record(): StepRecord;
  /** One step of the rule; `stopReason` is '' to go on. */
  step(): Promise<{ readonly events: readonly RunEvent[]; readonly stopReason: string }>;
  dispose(): void;
}

/** Opens a session: builds the circuit, picks the backend, creates the trainer of @ohmlab/learners. */
export async function openTrainingSession(config: RunConfig, preference: 'auto' | 'cpu'): Promise<TrainingSession> {
  const circuit = buildCircuit(config.circuit);
  const { backend, fallbackReason } = await chooseBackend(preference);
  void circuit;
  void backend;
  void fallbackReason;
  api('learners', 'createTrainer');
  throw new Error('unreachable');
}

/** Median time (ms) of one training step over `samples` samples on `backend`. */
export async function timeTrainingStep(circuit: Circuit, backend: SolverBackend, samples: number, repetitions: number): Promise<number> {
  void circuit;
  void backend;
  void samples;
  void repetitions;
  api('learners', 'createTrainer');
  return Number.NaN;
}
