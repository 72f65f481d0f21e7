import type { Circuit } from '../circuit.js';
import { CircuitError } from '../errors.js';
import { mulberry32, uniformConductances, type Random } from '../random.js';
import { validateCircuit } from '../validate.js';
import type { BuilderOptions } from './options.js';

/** Raw pieces a builder produced; `assemble` applies the shared options and validates. */
export interface Wiring {
  readonly nodeCount: number;
  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
  readonly inputNodes: Uint32Array;
  readonly outputNodes: Uint32Array;
  /** Default input voltages and targets when the options give none. */
  readonly inputValues: (random: Random) => Float64Array;
  readonly targets: (random: Random) => Float64Array;
}

function explicit(values: ArrayLike<number> | undefined, length: number, field: string): Float64Array | undefined {
  if (values === undefined) return undefined;
  if (values.length !== length) throw new CircuitError(field, -1, `has ${values.length} entries; this builder needs ${length}`);
  return Float64Array.from(values);
}

export function assemble(w: Wiring, options: BuilderOptions, random: Random = mulberry32(options.seed ?? 1)): Circuit {
  const m = w.edgeFrom.length;
  const [low, high] = options.conductanceRange ?? [0.5, 1.5];
  const conductances = explicit(options.conductances, m, 'conductances') ?? uniformConductances(m, random, low, high);
  const inputValues = explicit(options.inputValues, w.inputNodes.length, 'inputs.values') ?? w.inputValues(random);
  const targets = explicit(options.targets, w.outputNodes.length, 'outputs.targets') ?? w.targets(random);
  return validateCircuit({
    nodeCount: w.nodeCount,
    edgeFrom: w.edgeFrom,
    edgeTo: w.edgeTo,
    conductances,
    inputNodes: w.inputNodes,
    inputValues,
    outputNodes: w.outputNodes,
    targets,
    ...(options.samples ? { samples: options.samples } : {}),
  });
}

/** Source at 1 V then grounds at 0 V: the default drive of a circuit with `count` inputs. */
export function sourceAndGrounds(count: number): Float64Array {
  const u = new Float64Array(count);
  u[0] = 1;
  return u;
}

/** Targets drawn uniformly from [0.25, 0.75): strictly between the default input voltages. */
export function interiorTargets(count: number, random: Random): Float64Array {
  return Float64Array.from({ length: count }, () => 0.25 + 0.5 * random());
}
