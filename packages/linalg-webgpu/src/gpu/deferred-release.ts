/**
 * Lifetime of a factorization's GPU buffers: `dispose()` while solves are in flight releases the
 * buffers only when the last of them settles, so a solve never runs against destroyed buffers
 * (which would fail on the GPU and send it to the CPU, or leave a WebGPU validation error behind
 * for an unrelated later call). Idempotent.
 */
export class DeferredRelease {
  private inFlight = 0;
  private released = false;
  /** Set by the first `dispose()`; new solves must be refused from then on. */
  disposed = false;

  constructor(private readonly release: () => void) {}

  /** Runs `work` as one in-flight solve. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await work();
    } finally {
      this.inFlight--;
      if (this.disposed) this.releaseOnce();
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.inFlight === 0) this.releaseOnce();
  }

  private releaseOnce(): void {
    if (this.released || this.inFlight > 0) return;
    this.released = true;
    this.release();
  }
}
