import { WebGpuUnavailableError } from '../errors.js';
import { preloadVulkanLoader } from './vulkan-loader.js';

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
}

/** A device with what the backend needs to know about it. */
export interface AcquiredDevice {
  readonly device: GPUDevice;
  /** e.g. `webgpu: Google SwiftShader Device (Subzero) [vulkan]`. */
  readonly description: string;
  /** True when this module created the device (and so destroys it on dispose). */
  readonly owned: boolean;
  /** Keeps the Node `GPU` instance alive as long as the device. */
  readonly keepAlive?: unknown;
}

function gpuDisabledByEnv(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.['OHMLAB_WEBGPU'];
  return v === '0' || v === 'false' || v === 'off';
}

/** `navigator.gpu` in a browser, else npm `webgpu` (Dawn) in Node. */
async function findGpu(): Promise<GPU | undefined> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node) return undefined;
  await preloadVulkanLoader();
  const pkg = 'webgpu';
  const mod = (await import(/* @vite-ignore */ pkg)) as { create(flags: string[]): GPU };
  return mod.create([]);
}

/** One-line adapter description for logs and bench reports. */
export function describeAdapter(info: GPUAdapterInfo | undefined): string {
  if (!info) return 'webgpu: unknown adapter';
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => s && s.length > 0);
  return `webgpu: ${parts.length > 0 ? parts.join(' / ') : 'unnamed adapter'}`;
}

/** The limits worth raising to the adapter's maxima (large batches, big workgroup tiles). */
const RAISED_LIMITS = ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupStorageSize', 'maxStorageBuffersPerShaderStage'] as const;

async function deviceFromAdapter(adapter: GPUAdapter): Promise<GPUDevice> {
  const requiredLimits: Record<string, number> = {};
  for (const key of RAISED_LIMITS) requiredLimits[key] = adapter.limits[key];
  return adapter.requestDevice({ requiredLimits });
}

/**
 * Obtains a GPU device, or throws `WebGpuUnavailableError` with one message saying why
 * (disabled, no WebGPU in this runtime, no adapter).
 */
export async function acquireDevice(options: DeviceOptions = {}): Promise<AcquiredDevice> {
  if (options.disableGpu || gpuDisabledByEnv()) {
    throw new WebGpuUnavailableError('WebGPU disabled (option disableGpu or env OHMLAB_WEBGPU=0)');
  }
  if (options.device) return { device: options.device, description: 'webgpu: caller-provided device', owned: false };
  let adapter = options.adapter;
  let gpu: GPU | undefined;
  if (!adapter) {
    gpu = await findGpu();
    if (!gpu) throw new WebGpuUnavailableError('no WebGPU in this runtime (no navigator.gpu, not Node)');
    adapter = (await gpu.requestAdapter(options.powerPreference ? { powerPreference: options.powerPreference } : {})) ?? undefined;
    if (!adapter) {
      throw new WebGpuUnavailableError(
        'no WebGPU adapter found. On Linux without a GPU, install Debian chromium and set ' +
          'VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json (SwiftShader)',
      );
    }
  }
  let device: GPUDevice;
  try {
    device = await deviceFromAdapter(adapter);
  } catch (e) {
    throw new WebGpuUnavailableError(`the WebGPU adapter refused a device: ${(e as Error).message}`);
  }
  return { device, description: describeAdapter(adapter.info), owned: true, keepAlive: gpu };
}
