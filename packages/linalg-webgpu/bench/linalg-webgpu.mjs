// Benchmark of @ohmlab/linalg-webgpu against @ohmlab/linalg-cpu, side by side in one run.
// Usage (after `pnpm --filter @ohmlab/linalg-webgpu build`):
//   node bench/linalg-webgpu.mjs           sizes capped for SwiftShader (software Vulkan on the CPU)
//   node bench/linalg-webgpu.mjs --full    the full grid (1e2..1e4 circuits of 16..256 nodes,
//                                          sparse 1e3..1e6 nodes x 1..256 RHS): for a real GPU
// Env OHMLAB_BENCH_FULL=1 = --full. Writes <repo>/bench-results/linalg-webgpu.json.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { erdosRenyi, grid2d } from '@ohmlab/graph';
import { factorSync } from '@ohmlab/linalg-cpu';
import { createWebGpuBackend } from '../dist/index.js';

const swiftShaderIcd = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(swiftShaderIcd)) process.env.VK_ICD_FILENAMES = swiftShaderIcd;
const full = process.argv.includes('--full') || process.env.OHMLAB_BENCH_FULL === '1';
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', '..', 'bench-results', 'linalg-webgpu.json');

const events = [];
let gpu;
try {
  gpu = await createWebGpuBackend({ onEvent: (e) => events.push(e) });
} catch (e) {
  console.warn(`no WebGPU (${e.message}); CPU rows only`);
}
const software = !gpu || /swiftshader|llvmpipe|software/i.test(gpu.description);
const capNote = full
  ? 'full sizes (--full)'
  : 'capped: SwiftShader runs WGSL on the CPU (2 shared cores here), so the full grid would take hours; pass --full on a real GPU';

const denseSizes = full
  ? [100, 1000, 10000].flatMap((systems) => [16, 64, 256].map((nodes) => ({ systems, nodes })))
  : [{ systems: 100, nodes: 16 }, { systems: 100, nodes: 64 }, { systems: 1000, nodes: 16 }];
const sparseSizes = full
  ? [1e3, 1e4, 1e5, 1e6].flatMap((nodes) => [1, 16, 256].map((rhs) => ({ nodes, rhs })))
  : [{ nodes: 1024, rhs: 1 }, { nodes: 1024, rhs: 16 }, { nodes: 4096, rhs: 1 }];

const time = async (f) => {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
};

const rows = [];
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
    const fac = await time(() => gpu.factorBatch({ network: circuit, conductances: k, dirichletNodes: circuit.inputNodes }));
    const sol = await time(() => fac.value.solve({ perSystem: 1, dirichletValues }));
    Object.assign(row, { gpuFactorMs: fac.ms, gpuSolveMs: sol.ms, gpuRefinements: sol.value.refinements, gpuMaxResidual: sol.value.maxResidual, gpuCpuSystems: sol.value.cpuSystems });
    fac.value.dispose();
  }
  rows.push(row);
  console.log(JSON.stringify(row));
}

for (const { nodes, rhs } of sparseSizes) {
  const side = Math.round(Math.sqrt(nodes));
  const circuit = grid2d({ rows: side, cols: side, seed: 1 });
  const request = { network: circuit, conductances: circuit.conductances, dirichletNodes: circuit.inputNodes, options: { method: 'pcg' } };
  const dirichletValues = Float64Array.from({ length: rhs * circuit.inputNodes.length }, (_, i) => (i % 2 === 0 ? 1 : (i % 7) / 7));
  const cpuF = await time(() => factorSync({ ...request, options: {} }));
  const cpuS = await time(() => cpuF.value.solveSync({ count: rhs, dirichletValues }));
  const row = { kind: 'sparse', nodes: circuit.nodeCount, rhs, cpuMethod: cpuF.value.method, cpuFactorMs: cpuF.ms, cpuSolveMs: cpuS.ms };
  if (gpu) {
    const fac = await time(() => gpu.factor(request));
    const sol = await time(() => fac.value.solve({ count: rhs, dirichletValues }));
    Object.assign(row, { gpuMethod: fac.value.method, gpuFactorMs: fac.ms, gpuSolveMs: sol.ms, gpuIterations: sol.value.iterations, gpuMaxResidual: sol.value.maxResidual });
    fac.value.dispose();
  }
  rows.push(row);
  console.log(JSON.stringify(row));
}

const fmt = (v) => (typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toPrecision(3)) : String(v ?? '-'));
const columns = ['kind', 'systems', 'nodes', 'rhs', 'cpuFactorSolveMs', 'cpuFactorMs', 'cpuSolveMs', 'gpuFactorMs', 'gpuSolveMs', 'gpuIterations', 'gpuRefinements', 'gpuMaxResidual'];
console.log(`\nlinalg-webgpu bench on ${gpu?.description ?? 'no GPU'} (${capNote})`);
console.table(rows.map((r) => Object.fromEntries(columns.map((c) => [c, fmt(r[c])]))));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(
  out,
  JSON.stringify(
    {
      package: '@ohmlab/linalg-webgpu',
      date: new Date().toISOString(),
      node: process.version,
      adapter: gpu?.description ?? null,
      softwareAdapter: software,
      sizes: capNote,
      fallbacks: gpu?.stats.fallbacks ?? null,
      events,
      rows,
    },
    null,
    2,
  ),
);
console.log(`wrote ${out}`);
gpu?.dispose();
