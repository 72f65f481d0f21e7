/** Something the WebGPU backend did instead of what was asked: reported, never silent. */
export type WebGpuEvent =
  /** A solve ran on the CPU (float64) instead: device lost, GPU error, or tolerance not met. */
  | { readonly type: 'fallback'; readonly reason: string; readonly method: string }
  /** The device was lost; this and every later call runs on the CPU. */
  | { readonly type: 'device-lost'; readonly message: string };

/** Counters of a backend's fallbacks (read them after a run to report what happened). */
export interface WebGpuStats {
  /** Solves (or batch systems) that fell back to the CPU path. */
  fallbacks: number;
  /** Set when the device was lost: its reason and message. */
  deviceLost: string | undefined;
  /** Command buffers submitted to the GPU so far. */
  submissions: number;
  /** Compute dispatches encoded so far (a fused training step is one). */
  dispatches: number;
  /** Buffer readbacks so far (each waits for the GPU queue: the costly round trips). */
  readbacks: number;
}

/** Reports events to the caller's callback, or once per kind to `console.warn` when none is given. */
export class EventSink {
  readonly stats: WebGpuStats = { fallbacks: 0, deviceLost: undefined, submissions: 0, dispatches: 0, readbacks: 0 };
  private readonly warned = new Set<string>();

  constructor(private readonly callback: ((event: WebGpuEvent) => void) | undefined) {}

  fallback(method: string, reason: string, count = 1): void {
    this.stats.fallbacks += count;
    this.emit({ type: 'fallback', method, reason });
  }

  deviceLost(message: string): void {
    if (this.stats.deviceLost !== undefined) return;
    this.stats.deviceLost = message;
    this.emit({ type: 'device-lost', message });
  }

  private emit(event: WebGpuEvent): void {
    if (this.callback) {
      this.callback(event);
      return;
    }
    if (this.warned.has(event.type)) return;
    this.warned.add(event.type);
    const text = event.type === 'fallback' ? `${event.method}: ${event.reason}` : event.message;
    console.warn(`[ohmlab linalg-webgpu] ${event.type}: ${text} (continuing on the CPU backend)`);
  }
}
