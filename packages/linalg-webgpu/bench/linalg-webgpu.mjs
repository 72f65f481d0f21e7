// Benchmark of @ohmlab/linalg-webgpu against the float64 CPU (linalg-cpu, learners), side by side.
// Usage (after `pnpm --filter @ohmlab/linalg-webgpu... build`):
//   node bench/linalg-webgpu.mjs --quick   small plan, about a minute on SwiftShader
//   node bench/linalg-webgpu.mjs           plan capped for a software adapter (SwiftShader)
//   node bench/linalg-webgpu.mjs --full    the grid (1e2..1e4 circuits of 16..256 nodes,
//                                          sparse 1e3..1e6 nodes x 1..256 RHS): for a real GPU
// On a real NVIDIA GPU in Node: VK_ICD_FILENAMES=/usr/share/vulkan/icd.d/nvidia_icd.json \
//   node bench/linalg-webgpu.mjs --full     (any Vulkan driver; the default uses SwiftShader if present)
//   --only <kind>[,<kind>]                  only these tables (dense-batch, sparse-solve, pcg-kernels,
//                                          pcg-iterations, pcg-host-study, training-step, trainer-path)
// Env OHMLAB_BENCH_FULL=1 = --full. Writes <repo>/bench-results/linalg-webgpu.json.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { erdosRenyi, grid2d } from '@ohmlab/graph';
import { createCpuBackend, factorSync } from '@ohmlab/linalg-cpu';
import { sampleBatch, trainDiscrete } from '@ohmlab/learners';
import { createWebGpuBackend, preconditionerStudyOf } from '../dist/index.js';

const swiftShaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(swiftShaderIcd)) process.env.VK_ICD_FILENAMES = swiftShaderIcd;
const full = process.argv.includes('--full') || process.env.OHMLAB_BENCH_FULL === '1';
const quick = !full && process.argv.includes('--quick');
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', '..', 'bench-results', 'linalg-webgpu.json');

const events = [];
let gpu;
try {
  gpu = await createWebGpuBackend({ onEvent: (e) => events.push(e), watchdogMs: 600_000 });
} catch (e) {
  console.warn(`no WebGPU (${e.message}); CPU rows only`);
}
const plan = full ? 'full' : quick ? 'quick' : 'capped';
const planNote = {
  full: 'full sizes (--full): the issue grid',
  quick: 'quick (--quick): smallest sizes, about a minute on SwiftShader',
  capped: 'capped for a software adapter: SwiftShader runs WGSL on the CPU (2 shared cores here); --full on a real GPU',
}[plan];

const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? new Set((process.argv[onlyAt + 1] ?? '').split(',')) : undefined;
const pickFor = (kind, q, c, f) => (only && !only.has(kind) ? [] : full ? f : quick ? q : c);
const denseSizes = pickFor('dense-batch',
  [{ systems: 100, nodes: 16 }],
  [{ systems: 100, nodes: 16 }, { systems: 100, nodes: 64 }, { systems: 1000, nodes: 16 }, { systems: 10, nodes: 256 }],
  [100, 1000, 10000].flatMap((systems) => [16, 64, 256].map((nodes) => ({ systems, nodes }))),
);
const sparseSizes = pickFor('sparse-solve',
  [{ side: 32, rhs: 1 }],
  [{ side: 32, rhs: 1 }, { side: 32, rhs: 16 }, { side: 100, rhs: 1 }],
  [32, 100, 316, 1000].flatMap((side) => [1, 16, 256].map((rhs) => ({ side, rhs }))),
);
const kernelSizes = pickFor('pcg-kernels',
  [{ side: 100, systems: 1, rhs: 1 }],
  [{ side: 100, systems: 1, rhs: 1 }, { side: 100, systems: 1, rhs: 16 }, { side: 316, systems: 1, rhs: 1 }, { side: 32, systems: 64, rhs: 1 }],
  [{ side: 316, systems: 1, rhs: 1 }, { side: 1000, systems: 1, rhs: 1 }, { side: 1000, systems: 1, rhs: 16 }, { side: 316, systems: 1, rhs: 256 }, { side: 100, systems: 256, rhs: 4 }],
);
const trainSizes = pickFor('training-step',
  [{ nodes: 24, samples: 4, circuits: 1, steps: 20 }],
  [{ nodes: 24, samples: 4, circuits: 1, steps: 50 }, { nodes: 24, samples: 4, circuits: 100, steps: 20 }, { nodes: 96, samples: 8, circuits: 1, steps: 10 }],
  [{ nodes: 32, samples: 16, circuits: 1, steps: 200 }, { nodes: 32, samples: 16, circuits: 1000, steps: 100 }, { nodes: 128, samples: 16, circuits: 100, steps: 50 }, { nodes: 256, samples: 8, circuits: 10, steps: 20 }],
);

const time = async (f) => {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
};
const rows = [];
const emit = (row) => {
  rows.push(row);
  console.log(JSON.stringify(row));
};

for (const { systems, nodes } of denseSizes) {
  const circuit = erdosRenyi({ nodes, meanDegree: 4, seed: nodes });
  const m = circuit.conductances.length;
  const k = Float64Array.from({ length: systems * m }, (_, i) => circuit.conductances[i % m] * (0.5 + ((i * 2654435761) % 1000) / 1000));
  const dirichletValues = new Float64Array(systems * circuit.inputNodes.length);
  for (let s = 0; s < systems; s++) dirichletValues.set(circuit.inputValues, s * circuit.inputNodes.length);
  const cpu = await time(() => {
    let worst = 0;
    for (let s = 0; s < systems; s++) {
      const f = factorSync({ network: circuit, conductances: k.subarray(s * m, (s + 1) * m), dirichletNodes: circuit.inputNodes });
      worst = Math.max(worst, f.solveSync({ count: 1, dirichletValues: circuit.inputValues }).maxResidual);
    }
    return worst;
  });
  const row = { kind: 'dense-batch', systems, nodes, rhs: 1, cpuFactorSolveMs: cpu.ms, cpuMaxResidual: cpu.value };
  if (gpu) {
    const request = { network: circuit, conductances: k, dirichletNodes: circuit.inputNodes, options: { method: 'dense' } };
    const fac = await time(() => gpu.factorBatch(request));
    const sol = await time(() => fac.value.solve({ perSystem: 1, dirichletValues }));
    Object.assign(row, { gpuFactorMs: fac.ms, gpuSolveMs: sol.ms, gpuRefinements: sol.value.refinements, gpuMaxResidual: sol.value.maxResidual, gpuCpuSystems: sol.value.cpuSystems });
    fac.value.dispose();
  }
  emit(row);
}

for (const { side, rhs } of sparseSizes) {
  const circuit = grid2d({ rows: side, cols: side, seed: 1 });
  const request = { network: circuit, conductances: circuit.conductances, dirichletNodes: circuit.inputNodes, options: { method: 'pcg' } };
  const dirichletValues = Float64Array.from({ length: rhs * circuit.inputNodes.length }, (_, i) => (i % 2 === 0 ? 1 : (i % 7) / 7));
  const cpuF = await time(() => factorSync({ ...request, options: {} }));
  const cpuS = await time(() => cpuF.value.solveSync({ count: rhs, dirichletValues }));
  const row = { kind: 'sparse-solve', nodes: circuit.nodeCount, rhs, cpuMethod: cpuF.value.method, cpuFactorMs: cpuF.ms, cpuSolveMs: cpuS.ms };
  if (gpu) {
    const fac = await time(() => gpu.factor(request));
    const sol = await time(() => fac.value.solve({ count: rhs, dirichletValues }));
    Object.assign(row, { gpuMethod: fac.value.method, gpuFactorMs: fac.ms, gpuSolveMs: sol.ms, gpuIterations: sol.value.iterations, gpuMaxResidual: sol.value.maxResidual });
    fac.value.dispose();
  }
  emit(row);
}

for (const { side, systems, rhs } of kernelSizes) {
  if (!gpu) break;
  const circuit = grid2d({ rows: side, cols: side, seed: 1 });
  const m = circuit.conductances.length;
  const conductances = Float64Array.from({ length: systems * m }, (_, i) => circuit.conductances[i % m] * (1 + 0.3 * Math.sin(i)));
  for (const kind of ['jacobi', 'block', 'two-level']) {
    const iterations = full ? 100 : 20;
    const t = await gpu.pcgThroughput({ network: circuit, conductances, dirichletNodes: circuit.inputNodes, perSystem: rhs, iterations, preconditioner: { kind } });
    emit({ kind: 'pcg-kernels', nodes: circuit.nodeCount, systems, rhs, preconditioner: t.preconditioner, iterations: t.iterations, msPerIteration: t.msPerIteration, bytesPerIteration: t.bytesPerIteration, gbPerSecond: t.gigabytesPerSecond });
  }
}

const gridIterations = pickFor('pcg-iterations', [32], [32, 64], [32, 64, 128, 256]);
for (const side of gridIterations) {
  if (!gpu) break;
  const circuit = grid2d({ rows: side, cols: side, seed: 2 });
  const row = { kind: 'pcg-iterations', nodes: circuit.nodeCount };
  for (const [name, kind] of [['jacobi', 'jacobi'], ['block', 'block'], ['twoLevel', 'two-level']]) {
    const b = await createWebGpuBackend({ preconditioner: { kind }, watchdogMs: 600_000 });
    const f = await time(() => b.factor({ network: circuit, conductances: circuit.conductances, dirichletNodes: circuit.inputNodes, options: { method: 'pcg' } }));
    const s = await time(() => f.value.solve({ count: 1, dirichletValues: circuit.inputValues }));
    Object.assign(row, { [`${name}Iterations`]: s.value.iterations, [`${name}Ms`]: s.ms, [`${name}FactorMs`]: f.ms, [`${name}Residual`]: s.value.maxResidual });
    f.value.dispose();
    await b.disposeAsync();
  }
  emit(row);
}

// Float64 host prototype of the PCG (algorithms/preconditioner-study.ts: the GPU's tiles and tile
// polynomial): iterations to 1e-5 / 1e-10 relative residual, one RHS, no GPU involved.
const studyCases = pickFor('pcg-host-study',
  [32, 64].map((side) => ({ side })),
  [32, 64, 128, 256].map((side) => ({ side })).concat([{ er: 1000 }, { er: 10000 }]),
  [32, 64, 128, 256, 512].map((side) => ({ side })).concat([{ er: 1000 }, { er: 10000 }]),
);
for (const { side, er } of studyCases) {
  const circuit = side ? grid2d({ rows: side, cols: side, seed: 2 }) : erdosRenyi({ nodes: er, meanDegree: 5, seed: 3 });
  const row = { kind: 'pcg-host-study', circuit: side ? `grid ${side}x${side}` : `ER ${er}`, nodes: circuit.nodeCount };
  const request = { network: circuit, conductances: circuit.conductances, dirichletNodes: circuit.inputNodes };
  const t = await time(() => preconditionerStudyOf(request, circuit.inputValues, { preconditioners: ['jacobi', 'block', 'two-level', 'hybrid'] }));
  row.tiles = t.value[0].tiles;
  for (const r of t.value) row[r.preconditioner] = r.iterations.join(' / ');
  row.ms = t.ms;
  emit(row);
}

const samplesFor = (circuit, count) =>
  Array.from({ length: count }, (_, s) => ({
    inputs: Float64Array.from(circuit.inputNodes, (_, i) => (i === 0 ? 0.5 + 0.5 * Math.sin(s + 1) : 0)),
    targets: Float64Array.from(circuit.outputNodes, (_, o) => 0.3 + 0.1 * Math.cos(s + o)),
  }));
const cpuBackend = createCpuBackend();
for (const { nodes, samples, circuits, steps } of trainSizes) {
  const base = erdosRenyi({ nodes, meanDegree: 4, seed: 7, outputs: 2 });
  const circuit = erdosRenyi({ nodes, meanDegree: 4, seed: 7, outputs: 2, samples: samplesFor(base, samples) });
  const m = circuit.conductances.length;
  const k = Float64Array.from({ length: circuits * m }, (_, i) => circuit.conductances[i % m] * (1 + 0.2 * Math.sin(i)));
  const options = { rule: 'ep', nudge: 'zero', alpha: 0.05 };
  const cpuCircuits = Math.min(circuits, 3);
  const cpu = await time(async () => {
    for (let c = 0; c < cpuCircuits; c++) await trainDiscrete(cpuBackend, { ...circuit, conductances: k.slice(c * m, (c + 1) * m) }, { ...options, steps, recordEvery: steps });
  });
  const row = { kind: 'training-step', rule: 'ep/zero', nodes, edges: m, samples, circuits, steps, cpuMsPerCircuitStep: cpu.ms / (cpuCircuits * steps), cpuNote: `learners trainDiscrete, ${cpuCircuits} circuit(s) timed` };
  if (gpu) {
    const trainer = await gpu.fusedTrainer({ network: circuit, inputNodes: circuit.inputNodes, outputNodes: circuit.outputNodes, conductances: k, samples: sampleBatch(circuit), ...options, verifyEvery: 0 });
    await trainer.step(2);
    const t = await time(() => trainer.step(steps));
    const state = await trainer.read();
    Object.assign(row, { gpuMsPerStep: t.ms / steps, gpuMsPerCircuitStep: t.ms / (steps * circuits), gpuRunsOn: state.runsOn });
    trainer.dispose();
  }
  emit(row);
}

// learners' trainDiscrete on this backend: generic path (factor + solve per step, fused: 'never')
// vs fused path (fused: 'auto': the fused trainer between record points), same run; per step:
// time, GPU submissions, dispatches and readbacks (backend stats), and the CPU run's conductances.
const pathSizes = pickFor('trainer-path',
  [{ nodes: 24, samples: 4, steps: 40, recordEvery: 20 }],
  [{ nodes: 24, samples: 4, steps: 100, recordEvery: 25 }, { nodes: 96, samples: 8, steps: 40, recordEvery: 20 }],
  [{ nodes: 32, samples: 16, steps: 1000, recordEvery: 100 }, { nodes: 256, samples: 16, steps: 200, recordEvery: 50 }],
);
for (const { nodes, samples, steps, recordEvery } of gpu ? pathSizes : []) {
  const base = erdosRenyi({ nodes, meanDegree: 4, seed: 9, outputs: 2 });
  const circuit = erdosRenyi({ nodes, meanDegree: 4, seed: 9, outputs: 2, samples: samplesFor(base, samples) });
  const options = { rule: 'cl', nudge: 'zero', alpha: 0.05, steps, recordEvery };
  const want = await trainDiscrete(cpuBackend, circuit, options);
  const row = { kind: 'trainer-path', rule: 'cl/zero', nodes, edges: circuit.conductances.length, samples, steps, recordEvery };
  for (const fused of ['never', 'auto']) {
    await trainDiscrete(gpu, circuit, { ...options, steps: recordEvery, fused }); // warm-up: pipelines compiled
    const before = { ...gpu.stats };
    const t = await time(() => trainDiscrete(gpu, circuit, { ...options, fused }));
    const per = (key) => (gpu.stats[key] - before[key]) / steps;
    let worst = 0;
    want.final.conductances.forEach((k, j) => (worst = Math.max(worst, Math.abs(k - t.value.final.conductances[j]) / k)));
    const p = fused === 'never' ? 'generic' : 'fused';
    Object.assign(row, { [`${p}MsPerStep`]: t.ms / steps, [`${p}Dispatches`]: per('dispatches'), [`${p}Submissions`]: per('submissions'), [`${p}Readbacks`]: per('readbacks'), [`${p}VsCpu`]: worst, [`${p}Path`]: t.value.path.summary });
  }
  emit(row);
}

const fmt = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(3)) : String(v ?? '-'));
const tables = {
  'dense-batch': ['systems', 'nodes', 'cpuFactorSolveMs', 'gpuFactorMs', 'gpuSolveMs', 'gpuRefinements', 'gpuMaxResidual', 'gpuCpuSystems'],
  'sparse-solve': ['nodes', 'rhs', 'cpuMethod', 'cpuFactorMs', 'cpuSolveMs', 'gpuFactorMs', 'gpuSolveMs', 'gpuIterations', 'gpuMaxResidual'],
  'pcg-kernels': ['nodes', 'systems', 'rhs', 'preconditioner', 'msPerIteration', 'bytesPerIteration', 'gbPerSecond'],
  'pcg-iterations': ['nodes', 'jacobiIterations', 'blockIterations', 'twoLevelIterations', 'jacobiMs', 'blockMs', 'twoLevelMs', 'blockFactorMs', 'twoLevelFactorMs'],
  'pcg-host-study': ['circuit', 'nodes', 'tiles', 'jacobi', 'block', 'two-level', 'hybrid', 'ms'],
  'training-step': ['nodes', 'edges', 'samples', 'circuits', 'steps', 'cpuMsPerCircuitStep', 'gpuMsPerStep', 'gpuMsPerCircuitStep'],
  'trainer-path': ['nodes', 'samples', 'steps', 'recordEvery', 'genericMsPerStep', 'fusedMsPerStep', 'genericDispatches', 'fusedDispatches', 'genericSubmissions', 'fusedSubmissions', 'genericReadbacks', 'fusedReadbacks', 'fusedVsCpu'],
};
const adapter = gpu?.description ?? 'no GPU';
console.log(`\nlinalg-webgpu bench on ${adapter}${gpu?.software ? ' (SOFTWARE adapter: timings say nothing about GPUs)' : ''}; ${planNote}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const [kind, columns] of Object.entries(tables)) {
  const part = rows.filter((r) => r.kind === kind);
  if (part.length === 0) continue;
  console.log(`\n${kind}`);
  console.table(part.map((r) => Object.fromEntries(columns.map((c) => [c, fmt(r[c])]))));
}
mkdirSync(dirname(out), { recursive: true });
// with --only, the other tables of an earlier run are kept (marked with that run's date)
const kept = only && existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : undefined;
const keptRows = (kept?.rows ?? []).filter((r) => !only.has(r.kind)).map((r) => ({ ...r, date: r.date ?? kept.date }));
writeFileSync(
  out,
  JSON.stringify(
    {
      package: '@ohmlab/linalg-webgpu',
      date: new Date().toISOString(),
      node: process.version,
      cpu: `${cpus()[0]?.model ?? 'unknown'} x ${cpus().length}`,
      loadAverage: loadavg(),
      adapter: gpu?.description ?? null,
      softwareAdapter: gpu?.software ?? null,
      plan: planNote,
      fallbacks: gpu?.stats.fallbacks ?? null,
      events,
      rows: [...keptRows, ...rows],
    },
    null,
    2,
  ),
);
console.log(`wrote ${out}`);
await gpu?.disposeAsync();
