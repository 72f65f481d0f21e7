// Leak check of the per-point workload (README "Behaviour and lifetime"): repeats open / solve /
// dispose cycles of @ohmlab/learners' state solver on the WebGPU backend in one process and prints,
// per tenth of the run, the time per cycle, live factorizations, GPU buffers not yet destroyed,
// and memory. A leak shows as growing counts or time; contention for the CPU (SwiftShader runs on
// it) shows as time jumping up and down with the machine's load (`--busy K` adds K busy processes).
// Usage (after `pnpm --filter @ohmlab/linalg-webgpu... build`):
//   node bench/state-solver-cycles.mjs [--cycles 200] [--circuit kite|er:40] [--strategy auto|response|direct] [--busy 0]
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { erdosRenyi, kite } from '@ohmlab/graph';
import { openStateSolver, referenceState, sampleBatch, stepStates, trainingMetrics } from '@ohmlab/learners';
import { createWebGpuBackend } from '../dist/index.js';

if (process.argv[2] === '--spin') {
  // a busy process for --busy: spins until its parent is gone (checked every 50 ms) or 10 minutes
  const end = Date.now() + 600_000;
  for (let next = 0; Date.now() < end; ) {
    if (Date.now() >= next) {
      next = Date.now() + 50;
      try {
        process.kill(process.ppid, 0);
      } catch {
        break;
      }
    }
  }
  process.exit(0);
}
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const cycles = Number(arg('cycles', 200));
const which = arg('circuit', 'kite');
const strategy = arg('strategy', 'auto');
const busy = Number(arg('busy', 0));

const icd = process.env.VK_ICD_FILENAMES ?? '/usr/lib/chromium/vk_swiftshader_icd.json';
if (existsSync(icd)) {
  process.env.VK_ICD_FILENAMES = icd;
  try {
    process.dlopen({ exports: {} }, join(dirname(icd), 'libvulkan.so.1'), 2 | 0x1000); // as device/vulkan-loader.ts
  } catch {
    // not a Node addon: expected, the loader stays loaded
  }
}
// One Dawn instance for the process (README "Lifetime"): this script owns it and the device.
const { create } = await import('webgpu');
const instance = create([]); // kept referenced to the end: a collected instance crashes Dawn
globalThis.ohmlabGpuInstance = instance;
const adapter = await instance.requestAdapter();
if (!adapter) throw new Error('no WebGPU adapter: set VK_ICD_FILENAMES');
const device = await adapter.requestDevice({ requiredLimits: { maxComputeWorkgroupStorageSize: adapter.limits.maxComputeWorkgroupStorageSize } });
let liveBuffers = 0;
const createBuffer = device.createBuffer.bind(device);
device.createBuffer = (descriptor) => {
  const buffer = createBuffer(descriptor);
  liveBuffers++;
  const destroy = buffer.destroy.bind(buffer);
  let done = false;
  buffer.destroy = () => {
    if (!done) liveBuffers--;
    done = true;
    destroy();
  };
  return buffer;
};
const events = [];
const gpu = await createWebGpuBackend({ device, onEvent: (e) => events.push(e) });
let liveFactors = 0;
const backend = {
  ...gpu,
  async factor(request) {
    const f = await gpu.factor(request);
    liveFactors++;
    let done = false;
    return { method: f.method, nodeCount: f.nodeCount, dirichletNodes: f.dirichletNodes, solve: (rhs) => f.solve(rhs), dispose: () => (done ? undefined : ((done = true), liveFactors--, f.dispose())) };
  },
};
const samples = Array.from({ length: 8 }, (_, s) => ({ inputs: Float64Array.of(1, 0.1 * s), targets: Float64Array.of(0.3 + 0.01 * s, 0.5) }));
const circuit = which === 'kite' ? kite() : erdosRenyi({ nodes: Number(which.split(':')[1] ?? 40), meanDegree: 4, seed: 3, outputs: 2, samples });
const batch = sampleBatch(circuit);
const spinners = Array.from({ length: busy }, () => fork(new URL(import.meta.url).pathname, ['--spin']));
console.log(`${cycles} cycles on ${which} (${circuit.nodeCount} nodes), strategy ${strategy}, ${busy} busy process(es), ${gpu.description}, load ${loadavg()[0].toFixed(2)}`);
const every = Math.max(1, Math.floor(cycles / 10));
const t0 = performance.now();
let last = t0;
for (let c = 0; c < cycles; c++) {
  const k = circuit.conductances.map((v, j) => v * (1 + 0.3 * Math.sin(c + j)));
  const solver = openStateSolver(backend, circuit, { conductances: k, strategy });
  const states = await stepStates(solver, batch, { rule: 'cl', nudge: 'zero' });
  await trainingMetrics(solver, batch, states.free);
  await referenceState(solver, batch);
  solver.dispose();
  if ((c + 1) % every === 0) {
    await new Promise((r) => setTimeout(r, 0));
    const now = performance.now();
    const mu = process.memoryUsage();
    console.log(`cycle ${String(c + 1).padStart(5)}: ${((now - last) / every).toFixed(2).padStart(7)} ms/cycle, live factorizations ${liveFactors}, live GPU buffers ${liveBuffers}, rss ${(mu.rss / 2 ** 20).toFixed(0)} MiB, heap ${(mu.heapUsed / 2 ** 20).toFixed(0)} MiB, load ${loadavg()[0].toFixed(2)}`);
    last = now;
  }
}
for (const s of spinners) s.kill();
console.log(`total ${((performance.now() - t0) / 1000).toFixed(2)} s; GPU stats ${JSON.stringify(gpu.stats)}; fallback events ${events.length}`);
await gpu.disposeAsync();
device.destroy();
