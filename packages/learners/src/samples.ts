import type { Circuit } from '@ohmlab/graph';
import { LearnerConfigError } from './errors.js';

/**
 * A batch of input/target pairs for one circuit, stored sample-major:
 * `inputs[s * inputCount + i]` drives `inputNodes[i]` in sample `s`,
 * `targets[s * outputCount + o]` is the target of `outputNodes[o]`.
 */
export interface SampleBatch {
  readonly count: number;
  readonly inputCount: number;
  readonly outputCount: number;
  readonly inputs: Float64Array;
  readonly targets: Float64Array;
}

/**
 * All samples of a circuit as one batch: `circuit.samples` when present and non-empty, otherwise
 * the single pair `(inputValues, targets)`.
 * @throws LearnerConfigError naming the sample whose sizes do not match the circuit or whose
 *   values are not finite.
 */
export function sampleBatch(circuit: Circuit): SampleBatch {
  const nIn = circuit.inputNodes.length;
  const p = circuit.outputNodes.length;
  const fromSamples = circuit.samples !== undefined && circuit.samples.length > 0;
  const list = fromSamples ? circuit.samples! : [{ inputs: circuit.inputValues, targets: circuit.targets }];
  const inputs = new Float64Array(list.length * nIn);
  const targets = new Float64Array(list.length * p);
  list.forEach((s, k) => {
    if (s.inputs.length !== nIn || s.targets.length !== p) {
      throw new LearnerConfigError(
        `samples[${k}]`,
        `has ${s.inputs.length} inputs and ${s.targets.length} targets; the circuit has ${nIn} input and ${p} output nodes`,
      );
    }
    checkFiniteValues(s.inputs, fromSamples ? `samples[${k}].inputs` : 'inputValues');
    checkFiniteValues(s.targets, fromSamples ? `samples[${k}].targets` : 'targets');
    inputs.set(s.inputs, k * nIn);
    targets.set(s.targets, k * p);
  });
  return { count: list.length, inputCount: nIn, outputCount: p, inputs, targets };
}

function checkFiniteValues(values: ArrayLike<number>, field: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw new LearnerConfigError(`${field}[${i}]`, `must be a finite voltage, got ${values[i]}`);
  }
}

/** The sub-batch of the given sample indices (in that order). */
export function selectSamples(batch: SampleBatch, indices: ArrayLike<number>): SampleBatch {
  const { inputCount: nIn, outputCount: p } = batch;
  const inputs = new Float64Array(indices.length * nIn);
  const targets = new Float64Array(indices.length * p);
  for (let k = 0; k < indices.length; k++) {
    const s = indices[k]!;
    if (!(s >= 0 && s < batch.count)) {
      throw new LearnerConfigError('samples', `index ${s} out of range 0..${batch.count - 1}`);
    }
    inputs.set(batch.inputs.subarray(s * nIn, (s + 1) * nIn), k * nIn);
    targets.set(batch.targets.subarray(s * p, (s + 1) * p), k * p);
  }
  return { count: indices.length, inputCount: nIn, outputCount: p, inputs, targets };
}

/** A saved position of a {@link MiniBatchSchedule}. */
export interface ScheduleState {
  readonly order: Uint32Array;
  readonly position: number;
  readonly state: number;
}

/**
 * Seeded mini-batch schedule: shuffles `0..count-1` with a Mulberry32 generator seeded by `seed`,
 * hands out consecutive slices of `batchSize`, and reshuffles at the end of each epoch.
 */
export class MiniBatchSchedule {
  private readonly order: Uint32Array;
  private position: number;
  private state: number;
  constructor(private readonly count: number, private readonly batchSize: number, seed: number) {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new LearnerConfigError('batchSize', `must be a positive integer, got ${batchSize}`);
    }
    this.order = new Uint32Array(count);
    for (let i = 0; i < count; i++) this.order[i] = i;
    this.state = (seed >>> 0) ^ 0x9e3779b9;
    this.position = count;
  }
  /** Next mini-batch of sample indices (size `min(batchSize, count)`). */
  next(): Uint32Array {
    const size = Math.min(this.batchSize, this.count);
    if (this.position + size > this.count) {
      this.shuffle();
      this.position = 0;
    }
    const out = this.order.slice(this.position, this.position + size);
    this.position += size;
    return out;
  }
  /** The schedule's state (order, position, generator), to draw the same batches again. */
  save(): ScheduleState {
    return { order: this.order.slice(), position: this.position, state: this.state };
  }

  /** Goes back to a state from {@link save}. */
  restore(saved: ScheduleState): void {
    this.order.set(saved.order);
    this.position = saved.position;
    this.state = saved.state;
  }

  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  private shuffle(): void {
    for (let i = this.count - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      const tmp = this.order[i]!;
      this.order[i] = this.order[j]!;
      this.order[j] = tmp;
    }
  }
}
