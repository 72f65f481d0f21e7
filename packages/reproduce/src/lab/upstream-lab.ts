import type { Circuit } from '@ohmlab/graph';
import {
  computeStates,
  edgeContrast,
  freeState,
  openStateSolver,
  sampleBatch,
  trainContinuous,
  trainDiscrete,
  trainingMetrics,
  type Nudge,
  type Rule as LearnerRule,
  type TrainingResult,
} from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import type { FlowOptions, Lab, NudgeSpec, Rule, Trajectory } from './lab.js';
import { reachable } from './circuits.js';
import { createInterimLab } from './interim/interim-lab.js';

function ruleOf(rule: Rule): LearnerRule {
  return rule === 'EP' ? 'ep' : rule === 'CL' ? 'cl' : 'al';
}

function nudgeOf(spec: NudgeSpec): { rule: LearnerRule; nudge: Nudge; eta?: number } {
  if (spec.eta === 0) return { rule: ruleOf(spec.rule), nudge: 'zero' };
  return { rule: ruleOf(spec.rule), nudge: spec.symmetric === true ? 'symmetric' : 'finite', eta: spec.eta };
}

async function withSolver<T>(backend: SolverBackend, circuit: Circuit, f: (solver: ReturnType<typeof openStateSolver>) => Promise<T>): Promise<T> {
  const solver = openStateSolver(backend, circuit);
  try {
    return await f(solver);
  } finally {
    solver.dispose();
  }
}

function abortHook(signal: AbortSignal | undefined, onProgress: ((fraction: number) => void) | undefined) {
  return (p: { fraction: number }): void => {
    if (signal?.aborted === true) throw new Error('aborted');
    onProgress?.(p.fraction);
  };
}

function trajectory(result: TrainingResult, rule: Rule, axis: readonly number[]): Trajectory {
  const h = result.history;
  const removals = result.events.filter((e) => e.kind === 'removed').map((e) => ({ t: e.time ?? e.step ?? Number.NaN, edge: e.edge }));
  const out: Trajectory = {
    t: Float64Array.from(axis),
    loss: Float64Array.from(rule === 'AL' ? h.adjointLoss : h.loss),
    mass: Float64Array.from(h.mass),
    conductances: h.conductances ?? [],
    removals,
    outputsCut: [],
    finalConductances: result.final.conductances,
    tFinal: result.final.time ?? result.final.step ?? Number.NaN,
  };
  return result.stop.reason === 'budget' ? out : { ...out, stoppedBecause: `${result.stop.reason}: ${result.stop.message}` };
}

/**
 * The port on top of `@ohmlab/learners` (states, rules, trainers) and a real solver backend.
 * Coercivity constants still come from the interim implementation until `@ohmlab/analysis`
 * exports them (see README).
 */
export function createUpstreamLab(backend: SolverBackend): Lab {
  const interim = createInterimLab();
  return {
    implementation: `@ohmlab/learners on backend "${backend.name}" (coercivity constants: interim dense)`,
    async outputs(c) {
      const own = { ...c, samples: [] };
      const free = await withSolver(backend, own, (s) => freeState(s, sampleBatch(own)));
      return Float64Array.from(free.outputs);
    },
    async loss(c) {
      return (await withSolver(backend, c, (s) => trainingMetrics(s, sampleBatch(c)))).loss;
    },
    async adjointLoss(c) {
      return (await withSolver(backend, c, (s) => trainingMetrics(s, sampleBatch(c)))).adjointLoss;
    },
    async weightedLoss(c) {
      return (await withSolver(backend, c, (s) => trainingMetrics(s, sampleBatch(c)))).weightedLoss;
    },
    coercivityConstant: (c, rule) => interim.coercivityConstant(c, rule),
    async velocity(c, spec) {
      const g = edgeContrast(c, await computeStates(backend, c, nudgeOf(spec)));
      return g.map((x, j) => ((c.conductances[j] as number) > 0 ? -x : 0));
    },
    async integrate(c, spec, options: FlowOptions) {
      return integrateWithCutOutputs(backend, c, spec, options);
    },
    async discrete(c, spec, options) {
      const result = await trainDiscrete(backend, c, {
        ...nudgeOf(spec),
        alpha: options.alpha,
        steps: options.steps,
        recordEvery: 1,
        boundary: 'remove',
        onProgress: abortHook(options.signal, undefined),
      });
      return trajectory(result, spec.rule, result.history.step ?? []);
    },
  };
}

/**
 * The circuit restricted to the edges with k > 0 and the outputs that still reach an input, with
 * `edges` mapping new edge indices to the original ones. `undefined` when no output is left.
 */
function remainingCircuit(c: Circuit, k: Float64Array, edges: readonly number[]): { circuit: Circuit; edges: number[]; cut: number[]; nodes: number[] } | undefined {
  // Keep the component(s) that touch an input; nodes cut off float and are dropped (renumbered).
  const reached = reachable(c, k, Array.from(c.inputNodes));
  const nodeMap = new Int32Array(c.nodeCount).fill(-1);
  let nodes = 0;
  for (let i = 0; i < c.nodeCount; i++) if (reached.has(i)) nodeMap[i] = nodes++;
  const keepEdges: number[] = [];
  for (let j = 0; j < k.length; j++) if ((k[j] as number) > 0 && reached.has(c.edgeFrom[j] as number)) keepEdges.push(j);
  const keepOut = Array.from(c.outputNodes, (o, i) => [o, i] as const).filter(([o]) => reached.has(o));
  const cut = Array.from(c.outputNodes).filter((o) => !reached.has(o));
  if (keepOut.length === 0) return undefined;
  const pick = (v: Float64Array): Float64Array => Float64Array.from(keepOut, ([, i]) => v[i] as number);
  const node = (i: number): number => nodeMap[i] as number;
  const circuit: Circuit = {
    ...c,
    nodeCount: nodes,
    edgeFrom: Uint32Array.from(keepEdges, (j) => node(c.edgeFrom[j] as number)),
    edgeTo: Uint32Array.from(keepEdges, (j) => node(c.edgeTo[j] as number)),
    conductances: Float64Array.from(keepEdges, (j) => k[j] as number),
    inputNodes: Uint32Array.from(c.inputNodes, node),
    outputNodes: Uint32Array.from(keepOut, ([o]) => node(o)),
    targets: pick(c.targets),
    ...(c.samples === undefined ? {} : { samples: c.samples.map((s) => ({ inputs: s.inputs, targets: pick(s.targets) })) }),
  };
  const oldOf: number[] = [];
  nodeMap.forEach((v, i) => {
    if (v >= 0) oldOf[v] = i;
  });
  return { circuit, edges: keepEdges.map((j) => edges[j] as number), cut, nodes: oldOf };
}

/**
 * `trainContinuous` stops when an output loses its last path to the inputs. Paper 2 (Sec. 4)
 * restricts attention to the remaining connected subnetwork and goes on, so this restarts the
 * trainer on the remaining circuit for the remaining time, until no output is left.
 */
async function integrateWithCutOutputs(backend: SolverBackend, c: Circuit, spec: NudgeSpec, options: FlowOptions): Promise<Trajectory> {
  const m = c.edgeFrom.length;
  const dt = options.tEnd / (options.record - 1);
  let current = c;
  let edges = Array.from({ length: m }, (_, j) => j);
  let nodes = Array.from({ length: c.nodeCount }, (_, i) => i);
  // Conductances of edges outside the current sub-circuit (removed: 0; floating: frozen value).
  const frozen = new Float64Array(m);
  let t0 = 0;
  const rootMass0 = Math.sqrt(c.conductances.reduce((a, x) => a + x * x, 0));
  const t: number[] = [];
  const loss: number[] = [];
  const mass: number[] = [];
  const conductances: Float64Array[] = [];
  const removals: { t: number; edge: number }[] = [];
  const outputsCut: { t: number; node: number }[] = [];
  const full = (sub: Float64Array): Float64Array => {
    const k = Float64Array.from(frozen);
    edges.forEach((orig, j) => (k[orig] = sub[j] as number));
    return k;
  };
  for (let round = 0; round <= m + c.outputNodes.length; round++) {
    const remaining = options.tEnd - t0;
    const result = await trainContinuous(backend, current, {
      ...nudgeOf(spec),
      duration: remaining,
      record: Math.max(2, Math.round(remaining / dt) + 1),
      boundary: 'remove',
      ...(options.tolerance === undefined ? {} : { rtol: options.tolerance }),
      onProgress: abortHook(options.signal, options.onProgress),
    });
    const h = result.history;
    const times = h.time ?? [];
    const lossSeries = spec.rule === 'AL' ? h.adjointLoss : h.loss;
    times.forEach((time, i) => {
      if (t.length > 0 && t0 + time <= (t[t.length - 1] as number)) return;
      t.push(t0 + time);
      loss.push(lossSeries[i] as number);
      mass.push(h.mass[i] as number);
      conductances.push(full(h.conductances?.[i] ?? new Float64Array(edges.length)));
    });
    for (const e of result.events) if (e.kind === 'removed') removals.push({ t: t0 + (e.time ?? 0), edge: edges[e.edge] as number });
    const kFinal = full(result.final.conductances);
    const tEnd = t0 + (result.final.time ?? 0);
    const base = { t: Float64Array.from(t), loss: Float64Array.from(loss), mass: Float64Array.from(mass), conductances, removals, outputsCut, finalConductances: kFinal, tFinal: tEnd };
    if (result.stop.reason !== 'disconnected') {
      return result.stop.reason === 'budget' ? base : { ...base, stoppedBecause: `${result.stop.reason}: ${result.stop.message}` };
    }
    // learners stops before applying the removal that cuts an output off; apply it here: the
    // smallest edge whose removal disconnects an output is the one that reached zero.
    const kSub = Float64Array.from(result.final.conductances);
    // Edges below 1e-6 |k(0)| are dead already (several can die at once, which the trainer cannot
    // step through); then, if no output is cut yet, the smallest edge that cuts one.
    for (let j = 0; j < kSub.length; j++) {
      if ((kSub[j] as number) > 0 && (kSub[j] as number) < 1e-6 * rootMass0) {
        kSub[j] = 0;
        removals.push({ t: tEnd, edge: edges[j] as number });
        base.finalConductances[edges[j] as number] = 0;
      }
    }
    if (Array.from(current.outputNodes).every((o) => reachable(current, kSub, Array.from(current.inputNodes)).has(o))) {
      let cutting = -1;
      for (let j = 0; j < kSub.length; j++) {
        if (!((kSub[j] as number) > 0) || (cutting >= 0 && (kSub[j] as number) >= (kSub[cutting] as number))) continue;
        const trial = Float64Array.from(kSub);
        trial[j] = 0;
        const reached = reachable(current, trial, Array.from(current.inputNodes));
        if (Array.from(current.outputNodes).some((o) => !reached.has(o))) cutting = j;
      }
      if (cutting < 0) {
        // Several edges of one output die within one step: remove the smallest, then go on.
        for (let j = 0; j < kSub.length; j++) if ((kSub[j] as number) > 0 && (cutting < 0 || (kSub[j] as number) < (kSub[cutting] as number))) cutting = j;
      }
      if (cutting >= 0) {
        kSub[cutting] = 0;
        removals.push({ t: tEnd, edge: edges[cutting] as number });
        base.finalConductances[edges[cutting] as number] = 0;
      }
    }
    const next = remainingCircuit(current, kSub, edges);
    const cutNodes = next?.cut ?? Array.from(current.outputNodes);
    for (const node of cutNodes) outputsCut.push({ t: tEnd, node: nodes[node] as number });
    if (next === undefined) {
      return { ...base, stoppedBecause: 'no output has a path to an input any more (all cut off by edge removal)' };
    }
    frozen.set(full(kSub));
    for (const j of next.edges) frozen[j] = 0;
    current = next.circuit;
    edges = next.edges;
    nodes = next.nodes.map((i) => nodes[i] as number);
    t0 = tEnd;
  }
  throw new Error('integrate: more restarts than edges and outputs; report this as a bug');
}
