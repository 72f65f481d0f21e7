/**
 * Says so when a busy worker has been silent too long (a stalled GPU, an enormous circuit), so a
 * page never just spins: `heard()` on every message, `busy(true|false)` around work.
 */
export class Watchdog {
  private last = performance.now();
  private working = false;
  private warned = false;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly limitMs: number,
    private readonly onSilence: (silentSeconds: number) => void,
  ) {
    this.timer = setInterval(() => this.check(), Math.min(5000, limitMs / 2));
  }

  heard(): void {
    this.last = performance.now();
    this.warned = false;
  }

  busy(working: boolean): void {
    this.working = working;
    this.heard();
  }

  dispose(): void {
    clearInterval(this.timer);
  }

  private check(): void {
    const silent = performance.now() - this.last;
    if (!this.working || this.warned || silent < this.limitMs) return;
    this.warned = true;
    this.onSilence(Math.round(silent / 1000));
  }
}

/** The note shown when the watchdog fires. */
export function silenceNote(what: string, seconds: number): string {
  return `No answer from the ${what} worker for ${seconds} s. A GPU solve may be stalled or the problem is very large: wait, or reload the page (add ?backend=cpu to use the CPU).`;
}
