import { erdosRenyi, grid2d, type Circuit } from '@ohmlab/graph';
import { afterAll, describe, expect, it } from 'vitest';
import { GpuPcgMatrix, type PcgPreconditioner } from '../src/algorithms/gpu-pcg.js';
import { acquireDevice } from '../src/device/acquire-device.js';
import { GpuContext } from '../src/gpu/gpu-context.js';
import { buildLaplacianSystem, freeResidual } from '../src/host/laplacian-system.js';
import { freeRightHandSides } from '../src/host/right-hand-sides.js';
import { isSoftwareAdapter, WebGpuUnavailableError } from '../src/index.js';

/**
 * The sparse path's claims, measured: block-Jacobi needs fewer iterations than Jacobi on grids;
 * two dispatches per iteration; one small readback every `checkEvery` iterations; the float32
 * answer solves the system (float64 residual of the float32 solution).
 */
const device = await acquireDevice().catch((e: unknown) => {
  if (e instanceof WebGpuUnavailableError) return e.message;
  throw e;
});
afterAll(() => {
  if (typeof device !== 'string') device.device.destroy();
});

interface Run {
  readonly iterations: number;
  readonly dispatches: number;
  readonly submits: number;
  readonly residual: number;
  readonly preconditioner: string;
}

async function runPcg(ctx: GpuContext, circuit: Circuit, preconditioner: PcgPreconditioner, checkEvery: number): Promise<Run> {
  const sys = buildLaplacianSystem({ network: circuit, conductances: circuit.conductances, dirichletNodes: circuit.inputNodes });
  const { b } = freeRightHandSides(sys, { count: 1, dirichletValues: circuit.inputValues });
  const matrix = new GpuPcgMatrix(ctx, sys.ffStart, sys.ffCol, sys.ffVal, preconditioner);
  let dispatches = 0;
  let submits = 0;
  const submit = ctx.submitPass.bind(ctx);
  ctx.submitPass = (record) => {
    submits++;
    submit((pass) => {
      const dispatch = pass.dispatchWorkgroups.bind(pass);
      record(Object.assign(Object.create(pass) as GPUComputePassEncoder, {
        setPipeline: pass.setPipeline.bind(pass),
        setBindGroup: pass.setBindGroup.bind(pass),
        dispatchWorkgroups: (x: number, y?: number) => {
          dispatches++;
          dispatch(x, y);
        },
      }));
    });
  };
  const got = await matrix.solve(Float32Array.from(b), 1, 1, { tolerance: 1e-5, maxIterations: 5000, checkEvery });
  ctx.submitPass = submit;
  const res = new Float64Array(b.length);
  freeResidual(sys, b, Float64Array.from(got.x), 1, res);
  const norm = (v: Float64Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  matrix.dispose();
  return { iterations: got.iterations, dispatches, submits, residual: norm(res) / norm(b), preconditioner: matrix.preconditioner };
}

describe.skipIf(typeof device === 'string')(`GPU PCG${typeof device === 'string' ? `: ${device}` : ''}`, () => {
  const acquired = device as Exclude<typeof device, string>;
  const ctx = new GpuContext(acquired.device, { software: isSoftwareAdapter(acquired.description) });
  const grid = grid2d({ rows: 32, cols: 32, seed: 2 });

  it('block-Jacobi (Chebyshev tile solves) needs fewer iterations than Jacobi on a 32 x 32 grid', async () => {
    const jacobi = await runPcg(ctx, grid, { kind: 'jacobi' }, 10);
    const block = await runPcg(ctx, grid, { kind: 'block' }, 10);
    expect(block.preconditioner).toBe('block');
    expect(jacobi.residual).toBeLessThan(1e-4);
    expect(block.residual).toBeLessThan(1e-4);
    // Measured 150 -> 50 (32 x 32), 300 -> 100 (64 x 64), 590 -> 200 (128 x 128): README "Sparse path".
    expect(block.iterations).toBeLessThan(0.6 * jacobi.iterations);
  });

  it('two dispatches per iteration, one readback of |r|^2 per checkEvery iterations', async () => {
    const run = await runPcg(ctx, grid, { kind: 'block', degree: 4 }, 7);
    const readbacks = Math.ceil(run.iterations / 7);
    // init + 2 per iteration + one |r|^2 total before each readback.
    expect(run.dispatches).toBe(1 + 2 * run.iterations + readbacks);
    expect(run.submits).toBe(readbacks);
    expect(run.iterations % 7).toBe(0);
  });

  it('two-level (block-Jacobi + coarse correction on the tiles) needs fewer iterations than block on a 64 x 64 grid, still two dispatches per iteration', async () => {
    const g64 = grid2d({ rows: 64, cols: 64, seed: 2 });
    const block = await runPcg(ctx, g64, { kind: 'block' }, 10);
    const two = await runPcg(ctx, g64, { kind: 'two-level' }, 10);
    expect(two.preconditioner).toBe('two-level');
    expect(two.residual).toBeLessThan(1e-4);
    // Theory: the coarse space removes the O(1/h) growth of block-Jacobi's condition number.
    expect(two.iterations).toBeLessThan(0.75 * block.iterations);
    const readbacks = Math.ceil(two.iterations / 10);
    expect(two.dispatches).toBe(1 + 2 * two.iterations + readbacks);
    expect(two.submits).toBe(readbacks);
  });

  it('two-level falls back to block (with a note) when the coarse inverse does not fit one binding, and still solves', async () => {
    const g = grid2d({ rows: 32, cols: 32, seed: 2 });
    const sys = buildLaplacianSystem({ network: g, conductances: g.conductances, dirichletNodes: g.inputNodes });
    // Room for the structure and [val | 1 / diag] of L_FF (a few words more than nnz + nf) but not
    // for the coarse inverse (5 tiles: 25 floats) after the values.
    const limit = 4 * (sys.ffCol.length + sys.ffStart.length - 1 + 12);
    const small = new GpuContext(acquired.device, { software: ctx.software, limits: { maxBindingBytes: limit } });
    const matrix = new GpuPcgMatrix(small, sys.ffStart, sys.ffCol, sys.ffVal, { kind: 'two-level' });
    expect(matrix.preconditioner).toBe('block');
    expect(matrix.coarseSize).toBe(0);
    expect(matrix.note).toMatch(/binding/);
    matrix.dispose();
    const run = await runPcg(small, g, { kind: 'two-level' }, 10);
    expect(run.preconditioner).toBe('block');
    expect(run.residual).toBeLessThan(1e-4);
  });

  it('auto picks Jacobi on a random graph (tiles fragment) and block on a grid', async () => {
    const er = erdosRenyi({ nodes: 600, meanDegree: 5, seed: 3 });
    expect((await runPcg(ctx, er, { kind: 'auto' }, 10)).preconditioner).toBe('jacobi');
    expect((await runPcg(ctx, grid2d({ rows: 20, cols: 20, seed: 1 }), { kind: 'auto' }, 10)).preconditioner).toBe('block');
  });
});
