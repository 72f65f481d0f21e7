/**
 * Where the lab chooses its backend (STYLE.md "Backends": choosing happens at the edge).
 * `?backend=cpu` forces the CPU; `?backend=webgpu` or no parameter tries WebGPU and falls back to
 * the CPU with a visible note.
 */
export type BackendPreference = 'auto' | 'cpu';

/** Reads the `backend` query parameter of the page URL. Unknown values mean `auto`. */
export function backendPreference(search: string = location.search): BackendPreference {
  const value = new URLSearchParams(search).get('backend');
  return value === 'cpu' ? 'cpu' : 'auto';
}

/** Adapter facts shown on the pages (WebGPU `GPUAdapterInfo` plus the limits that bound batching). */
export interface AdapterReport {
  readonly available: boolean;
  /** Why WebGPU is not used, when `available` is false. */
  readonly reason: string;
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  readonly limits: Readonly<Record<string, number>>;
}

const reportedLimits = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
] as const;

/** Asks the browser for a WebGPU adapter (without creating a device) and describes it. */
export async function probeWebGpu(preference: BackendPreference): Promise<AdapterReport> {
  const none = (reason: string): AdapterReport => ({
    available: false,
    reason,
    vendor: '',
    architecture: '',
    device: '',
    description: '',
    limits: {},
  });
  if (preference === 'cpu') return none('WebGPU disabled by ?backend=cpu');
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) {
    return none('this browser exposes no navigator.gpu (WebGPU off or unsupported)');
  }
  let adapter: GPUAdapter | null;
  try {
    adapter = await navigator.gpu.requestAdapter();
  } catch (error) {
    return none(`requestAdapter failed: ${String(error)}`);
  }
  if (!adapter) return none('navigator.gpu.requestAdapter() returned no adapter');
  const limits: Record<string, number> = {};
  for (const name of reportedLimits) limits[name] = Number(adapter.limits[name]);
  const info = adapter.info;
  return {
    available: true,
    reason: '',
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    limits,
  };
}

/** One line naming the adapter, e.g. `google swiftshader`. */
export function adapterLabel(report: AdapterReport): string {
  if (!report.available) return 'CPU only';
  const parts = [report.vendor, report.architecture, report.device, report.description].filter(
    (part) => part.length > 0,
  );
  return parts.length > 0 ? parts.join(' ') : 'unnamed adapter';
}
