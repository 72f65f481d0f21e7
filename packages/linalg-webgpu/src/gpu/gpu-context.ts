import { DeviceLostError, GpuComputeError } from '../errors.js';
import { DEFAULT_WATCHDOG_MS, watchdog } from './watchdog.js';

/** GPUBufferUsage / GPUMapMode flags (numeric, so Node needs no WebGPU globals). */
export const USAGE = { MAP_READ: 0x1, COPY_SRC: 0x4, COPY_DST: 0x8, UNIFORM: 0x40, STORAGE: 0x80 } as const;
const MAP_MODE_READ = 0x1;

/** Lower limits than the device's, to exercise chunking on small problems. */
export interface LimitOverrides {
  readonly maxBindingBytes?: number;
  readonly maxWorkgroups?: number;
}

/** The compute-pass calls the algorithms use (so a pass can be counted). */
export type ComputePass = Pick<GPUComputePassEncoder, 'setPipeline' | 'setBindGroup' | 'dispatchWorkgroups'>;

/** Work sent to the device so far: for benchmarks and tests of "one dispatch per step" claims. */
export interface GpuCounters {
  /** Command buffers submitted (`queue.submit`). */
  submissions: number;
  /** Compute dispatches encoded. */
  dispatches: number;
  /** Buffer readbacks (`mapAsync`, each a wait for the queue). */
  readbacks: number;
}

/** Settings of a {@link GpuContext} besides the device. */
export interface ContextOptions {
  /** Where to count submissions, dispatches and readbacks (default: a private object). */
  readonly counters?: GpuCounters;
  readonly limits?: LimitOverrides;
  /** Longest wait on one GPU promise in ms (default {@link DEFAULT_WATCHDOG_MS}). */
  readonly watchdogMs?: number;
  /** The adapter is a CPU emulation (SwiftShader, llvmpipe): prefer few, long workgroups. */
  readonly software?: boolean;
}

/**
 * Host-side buffer management for one device: creating, uploading and reading back buffers,
 * cached compute pipelines, the device limits the algorithms chunk against, and the device-lost
 * state. Algorithms never touch `GPUDevice` buffer APIs directly.
 */
export class GpuContext {
  readonly device: GPUDevice;
  /** Largest storage binding in bytes (chunk batches below it). */
  readonly maxBindingBytes: number;
  /** Largest workgroup count per dispatch dimension. */
  readonly maxWorkgroups: number;
  /** Workgroup memory in bytes. */
  readonly workgroupBytes: number;
  /** Longest wait on one GPU promise (ms); past it the device is marked lost. */
  readonly watchdogMs: number;
  /**
   * A CPU-emulated adapter: every workgroup barrier switches all its emulated threads, so
   * kernels should use few workgroups that loop over many tiles (a real GPU wants many).
   */
  readonly software: boolean;
  private lostReason: string | undefined;
  private gpuError: string | undefined;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly lostListeners: ((message: string) => void)[] = [];
  /** Submissions, dispatches and readbacks so far (live). */
  readonly counters: GpuCounters;

  /** `limits` may lower the device's binding size and workgroup count (tests of the chunking). */
  constructor(device: GPUDevice, options: ContextOptions = {}) {
    this.device = device;
    const limits = options.limits ?? {};
    this.watchdogMs = options.watchdogMs ?? DEFAULT_WATCHDOG_MS;
    this.software = options.software ?? false;
    this.counters = options.counters ?? { submissions: 0, dispatches: 0, readbacks: 0 };
    const binding = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
    this.maxBindingBytes = Math.min(binding, limits.maxBindingBytes ?? binding);
    this.maxWorkgroups = Math.min(device.limits.maxComputeWorkgroupsPerDimension, limits.maxWorkgroups ?? Infinity);
    this.workgroupBytes = device.limits.maxComputeWorkgroupStorageSize;
    device.addEventListener('uncapturederror', (event) => {
      this.gpuError ??= (event as GPUUncapturedErrorEvent).error.message;
    });
    void device.lost.then((info) => this.markLost(`${info.reason}: ${info.message || 'no message'}`));
  }

  /**
   * Marks the device lost (its `lost` promise, or a watchdog that gave up on it): every later GPU
   * call throws `DeviceLostError` and the backend runs on the CPU. Listeners hear it once.
   */
  markLost(reason: string): void {
    if (this.lostReason !== undefined) return;
    this.lostReason = reason;
    for (const f of this.lostListeners) f(reason);
  }

  /** `promise` under the watchdog: a timeout marks the device lost and rejects. */
  guard<T>(promise: Promise<T>, what: string): Promise<T> {
    return watchdog(promise, this.watchdogMs, what, (message) => this.markLost(message));
  }

  /** Set once the device is lost: every later GPU call must go to the CPU. */
  get lost(): string | undefined {
    return this.lostReason;
  }

  onLost(listener: (message: string) => void): void {
    this.lostListeners.push(listener);
  }

  /** Throws `DeviceLostError` when the device is gone, `GpuComputeError` after a validation error. */
  assertAlive(): void {
    if (this.lostReason !== undefined) throw new DeviceLostError(`GPU device lost (${this.lostReason})`);
    if (this.gpuError !== undefined) {
      const message = this.gpuError;
      this.gpuError = undefined;
      throw new GpuComputeError(`WebGPU reported an error: ${message}`);
    }
  }

  /** A storage buffer of `bytes` (rounded up to 16), optionally filled with `data`. */
  storage(bytes: number, data?: Float32Array | Uint32Array, extraUsage = 0): GPUBuffer {
    this.assertAlive();
    const size = Math.max(16, Math.ceil(bytes / 16) * 16);
    const buffer = this.device.createBuffer({ size, usage: USAGE.STORAGE | USAGE.COPY_SRC | USAGE.COPY_DST | extraUsage });
    if (data) this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return buffer;
  }

  /** A storage buffer holding `data`. */
  upload(data: Float32Array | Uint32Array): GPUBuffer {
    return this.storage(data.byteLength, data);
  }

  /** A uniform buffer of u32 parameters. */
  uniform(words: Uint32Array): GPUBuffer {
    this.assertAlive();
    const size = Math.max(16, Math.ceil(words.byteLength / 16) * 16);
    const buffer = this.device.createBuffer({ size, usage: USAGE.UNIFORM | USAGE.COPY_DST });
    this.device.queue.writeBuffer(buffer, 0, words.buffer, words.byteOffset, words.byteLength);
    return buffer;
  }

  /** Compute pipeline for `code` (entry `entry`), compiled once per context. */
  pipeline(code: string, entry: string): GPUComputePipeline {
    const key = `${entry}\u0000${code}`;
    let p = this.pipelines.get(key);
    if (!p) {
      this.assertAlive();
      const module = this.device.createShaderModule({ code });
      p = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: entry } });
      this.pipelines.set(key, p);
    }
    return p;
  }

  /** Bind group 0 of `pipeline` with `buffers` at bindings 0, 1, 2, ... */
  bind(pipeline: GPUComputePipeline, buffers: readonly GPUBuffer[]): GPUBindGroup {
    return this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  /** Reads `bytes` from `buffer` at `offset` (both multiples of 4), after all queued work. */
  async readBytes(buffer: GPUBuffer, offset: number, bytes: number): Promise<ArrayBuffer> {
    this.assertAlive();
    const staging = this.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 16) * 16), usage: USAGE.MAP_READ | USAGE.COPY_DST });
    const enc = this.device.createCommandEncoder();
    enc.copyBufferToBuffer(buffer, offset, staging, 0, Math.ceil(bytes / 4) * 4);
    this.device.queue.submit([enc.finish()]);
    this.counters.submissions++;
    this.counters.readbacks++;
    try {
      await this.guard(staging.mapAsync(MAP_MODE_READ), 'buffer readback (mapAsync)');
    } catch (e) {
      staging.destroy();
      this.assertAlive();
      throw e;
    }
    const out = staging.getMappedRange().slice(0, bytes);
    staging.unmap();
    staging.destroy();
    this.assertAlive();
    return out;
  }

  /** {@link readBytes} as float32. */
  async readFloat32(buffer: GPUBuffer, offset: number, bytes: number): Promise<Float32Array> {
    return new Float32Array(await this.readBytes(buffer, offset, bytes));
  }

  /** Resolves when the queue has drained (for timings). */
  async idle(): Promise<void> {
    await this.guard(this.device.queue.onSubmittedWorkDone(), 'queue drain (onSubmittedWorkDone)');
    this.assertAlive();
  }

  /** Encodes one compute pass with `record`, submits it, and checks for errors so far. */
  submitPass(record: (pass: ComputePass) => void): void {
    this.assertAlive();
    const enc = this.device.createCommandEncoder();
    const pass = enc.beginComputePass();
    const counters = this.counters;
    record({
      setPipeline: (pipeline) => pass.setPipeline(pipeline),
      setBindGroup: (index: number, group: GPUBindGroup | null) => pass.setBindGroup(index, group),
      dispatchWorkgroups: (x: number, y?: number, z?: number) => {
        counters.dispatches++;
        pass.dispatchWorkgroups(x, y, z);
      },
    } as ComputePass);
    pass.end();
    this.device.queue.submit([enc.finish()]);
    counters.submissions++;
  }
}

/** Workgroups for `items` threads of `size`, capped at the device limit (kernels grid-stride). */
export function workgroupsFor(ctx: GpuContext, items: number, size: number): number {
  return Math.max(1, Math.min(ctx.maxWorkgroups, Math.ceil(items / size)));
}
