import { SolverError } from '@ohmlab/linalg-cpu';
import type { Network } from '@ohmlab/linalg-cpu';
import type { GpuContext } from '../gpu/gpu-context.js';
import { denseFactorWgsl, denseSolveWgsl, packedFactorBytes } from '../kernels/dense-cholesky.wgsl.js';

const NONE = 0xffffffff;

/** `[start (nf + 1) | (edge, free index of the other end or NONE) pairs]` per free row. */
function rowEdgeTable(network: Network, free: Uint32Array, freeIndex: Int32Array): Uint32Array {
  const nf = free.length;
  const start = new Uint32Array(nf + 1);
  const m = network.edgeFrom.length;
  for (let j = 0; j < m; j++) {
    const a = freeIndex[network.edgeFrom[j]!]!;
    const b = freeIndex[network.edgeTo[j]!]!;
    if (a >= 0) start[a + 1]!++;
    if (b >= 0) start[b + 1]!++;
  }
  for (let i = 0; i < nf; i++) start[i + 1] = start[i + 1]! + start[i]!;
  const table = new Uint32Array(nf + 1 + 2 * start[nf]!);
  table.set(start);
  const fill = start.slice(0, nf);
  for (let j = 0; j < m; j++) {
    const a = freeIndex[network.edgeFrom[j]!]!;
    const b = freeIndex[network.edgeTo[j]!]!;
    if (a >= 0) {
      const e = nf + 1 + 2 * fill[a]!++;
      table[e] = j;
      table[e + 1] = b >= 0 ? b : NONE;
    }
    if (b >= 0) {
      const e = nf + 1 + 2 * fill[b]!++;
      table[e] = j;
      table[e + 1] = a >= 0 ? a : NONE;
    }
  }
  return table;
}

interface Chunk {
  readonly first: number;
  readonly systems: number;
  readonly factor: GPUBuffer;
}

/**
 * Float32 Cholesky factors of many systems of one topology, resident on the GPU in chunks that
 * respect `maxStorageBufferBindingSize` and `maxComputeWorkgroupsPerDimension`.
 */
export class GpuDenseBatch {
  readonly nf: number;
  readonly inWorkgroup: boolean;
  /** Systems whose float32 pivot was not positive (they must be solved elsewhere). */
  readonly failed: Set<number> = new Set();
  private readonly chunks: Chunk[] = [];

  private constructor(private readonly ctx: GpuContext, nf: number) {
    this.nf = nf;
    this.inWorkgroup = packedFactorBytes(nf) <= ctx.workgroupBytes;
  }

  /** Largest number of systems per chunk for `perSystem` RHS and `m` edges. */
  static chunkSystems(ctx: GpuContext, nf: number, m: number, perSystem: number): number {
    const per = Math.max(packedFactorBytes(nf), 4 * m, 4 * nf * perSystem, 4);
    return Math.max(1, Math.min(ctx.maxWorkgroups, Math.floor(ctx.maxBindingBytes / per)));
  }

  /** Assembles and factors `L_FF` of every system (conductances: systems x m, float64). */
  static async factor(ctx: GpuContext, network: Network, free: Uint32Array, freeIndex: Int32Array, conductances: Float64Array): Promise<GpuDenseBatch> {
    const nf = free.length;
    const m = network.edgeFrom.length;
    const systems = conductances.length / m;
    const batch = new GpuDenseBatch(ctx, nf);
    const table = ctx.upload(rowEdgeTable(network, free, freeIndex));
    const pipeline = ctx.pipeline(denseFactorWgsl(nf, m, batch.inWorkgroup), 'main');
    const size = GpuDenseBatch.chunkSystems(ctx, nf, m, 1);
    try {
      for (let first = 0; first < systems; first += size) {
        const s = Math.min(size, systems - first);
        const k32 = new Float32Array(conductances.subarray(first * m, (first + s) * m));
        const k = ctx.upload(k32);
        const factor = ctx.storage(packedFactorBytes(nf) * s);
        const status = ctx.storage(4 * s);
        const group = ctx.bind(pipeline, [table, k, factor, status]);
        ctx.submitPass((pass) => {
          pass.setPipeline(pipeline);
          pass.setBindGroup(0, group);
          pass.dispatchWorkgroups(s);
        });
        batch.chunks.push({ first, systems: s, factor });
        const flags = await ctx.readFloat32(status, 0, 4 * s);
        for (let i = 0; i < s; i++) if (flags[i] !== 0) batch.failed.add(first + i);
        k.destroy();
        status.destroy();
      }
    } catch (e) {
      batch.dispose();
      throw e;
    } finally {
      table.destroy();
    }
    return batch;
  }

  /**
   * Solves `L_FF x = b` for every system with `perSystem` RHS each; `b` is float32
   * systems x perSystem x nf (system-major); returns x in the same layout.
   */
  async solve(b: Float32Array, perSystem: number): Promise<Float32Array> {
    const { ctx, nf } = this;
    const x = new Float32Array(b.length);
    const pipeline = ctx.pipeline(denseSolveWgsl(nf, perSystem, this.inWorkgroup), 'main');
    const block = perSystem * nf;
    for (const chunk of this.chunks) {
      const maxPer = Math.max(1, Math.floor(ctx.maxBindingBytes / (4 * block)));
      for (let off = 0; off < chunk.systems; off += maxPer) {
        const s = Math.min(maxPer, chunk.systems - off);
        const first = chunk.first + off;
        const rhs = ctx.upload(b.subarray(first * block, (first + s) * block));
        const offset = ctx.uniform(Uint32Array.of(off, 0, 0, 0));
        try {
          const group = ctx.bind(pipeline, [chunk.factor, rhs, offset]);
          ctx.submitPass((pass) => {
            pass.setPipeline(pipeline);
            pass.setBindGroup(0, group);
            pass.dispatchWorkgroups(s);
          });
          x.set(await ctx.readFloat32(rhs, 0, 4 * s * block), first * block);
        } finally {
          rhs.destroy();
          offset.destroy();
        }
      }
    }
    return x;
  }

  dispose(): void {
    for (const c of this.chunks) c.factor.destroy();
    this.chunks.length = 0;
  }
}

/** Throws when the topology is too large for the dense batch path. */
export function checkDenseSize(nf: number, limit: number): void {
  if (nf > limit) throw new SolverError(`the dense batch path takes at most ${limit} free nodes per system, got ${nf}; use factor() with method 'pcg'`);
}
