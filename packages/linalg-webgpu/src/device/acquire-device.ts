import { WebGpuUnavailableError } from '../errors.js';
import { DEFAULT_WATCHDOG_MS, watchdog } from '../gpu/watchdog.js';
import { gpuInstance } from './gpu-instance.js';

/** Where the device comes from: given by the caller, or requested from `navigator.gpu` / npm `webgpu`. */
export interface DeviceOptions {
  /** Use this device (the caller keeps ownership: `dispose()` does not destroy it). */
  readonly device?: GPUDevice;
  /** Request the device from this adapter. */
  readonly adapter?: GPUAdapter;
  /** Pretend no adapter exists (tests of the CPU fallback). Also forced by env `OHMLAB_WEBGPU=0`. */
  readonly disableGpu?: boolean;
  /** Power preference passed to `requestAdapter`. */
  readonly powerPreference?: GPUPowerPreference;
  /**
   * Longest wait on any one GPU promise, in ms (adapter, device, readback, queue drain; default
   * 60 000). Past it the device counts as lost and the work continues on the CPU.
   */
  readonly watchdogMs?: number;
}

/** A device with what the backend needs to know about it. */
export interface AcquiredDevice {
  readonly device: GPUDevice;
  /** e.g. `webgpu: Google SwiftShader Device (Subzero) [vulkan]`. */
  readonly description: string;
  /** True when this module created the device (and so destroys it on dispose). */
  readonly owned: boolean;
}

function gpuDisabledByEnv(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.['OHMLAB_WEBGPU'];
  return v === '0' || v === 'false' || v === 'off';
}

/** One-line adapter description for logs and bench reports. */
export function describeAdapter(info: GPUAdapterInfo | undefined): string {
  if (!info) return 'webgpu: unknown adapter';
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => s && s.length > 0);
  return `webgpu: ${parts.length > 0 ? parts.join(' / ') : 'unnamed adapter'}`;
}

/** The limits worth raising to the adapter's maxima (large batches, big workgroup tiles). */
const RAISED_LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize', 'maxStorageBuffersPerShaderStage'] as const;

function deviceFromAdapter(adapter: GPUAdapter): Promise<GPUDevice> {
  const requiredLimits: Record<string, number> = {};
  for (const key of RAISED_LIMITS) requiredLimits[key] = adapter.limits[key];
  return adapter.requestDevice({ requiredLimits });
}

/**
 * Obtains a GPU device, or throws `WebGpuUnavailableError` with one message saying why
 * (disabled, no WebGPU in this runtime, no adapter, no answer within the watchdog time).
 * Adapters are single-use in WebGPU: each call requests a fresh one from the process-wide instance.
 */
export async function acquireDevice(options: DeviceOptions = {}): Promise<AcquiredDevice> {
  if (options.disableGpu || gpuDisabledByEnv()) {
    throw new WebGpuUnavailableError('WebGPU disabled (option disableGpu or env OHMLAB_WEBGPU=0)');
  }
  if (options.device) return { device: options.device, description: 'webgpu: caller-provided device', owned: false };
  const ms = options.watchdogMs ?? DEFAULT_WATCHDOG_MS;
  let adapter = options.adapter;
  try {
    if (!adapter) {
      const gpu = await gpuInstance();
      if (!gpu) throw new WebGpuUnavailableError('no WebGPU in this runtime (no navigator.gpu, not Node)');
      const request = gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : {});
      adapter = (await watchdog(request, ms, 'requestAdapter')) ?? undefined;
      if (!adapter) {
        throw new WebGpuUnavailableError(
          'no WebGPU adapter found. On Linux without a GPU, install Debian chromium and set ' +
            'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (SwiftShader)',
        );
      }
    }
    const device = await watchdog(deviceFromAdapter(adapter), ms, 'requestDevice');
    return { device, description: describeAdapter(adapter.info), owned: true };
  } catch (e) {
    if (e instanceof WebGpuUnavailableError) throw e;
    throw new WebGpuUnavailableError(`WebGPU could not start: ${(e as Error).message}`);
  }
}
