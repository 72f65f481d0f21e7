import { GpuTimeoutError } from '../errors.js';

/** Default longest wait on one GPU promise (ms): well above any single submitted chunk of work. */
export const DEFAULT_WATCHDOG_MS = 60_000;

/**
 * Resolves or rejects like `promise`, but rejects with `GpuTimeoutError` when it has not settled
 * after `ms` milliseconds (then `onTimeout` runs first, e.g. to mark the device lost). A lost
 * Dawn callback thus becomes an error the caller turns into a CPU fallback, never a hang. The timer
 * is cleared as soon as the promise settles, so it never keeps a finished process alive.
 */
export function watchdog<T>(promise: Promise<T>, ms: number, what: string, onTimeout?: (message: string) => void): Promise<T> {
  if (!(ms > 0) || !Number.isFinite(ms)) return promise;
  return new Promise<T>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      const message = `${what} did not complete within ${(ms / 1000).toFixed(1)} s (GPU watchdog)`;
      onTimeout?.(message);
      reject(new GpuTimeoutError(message));
    }, ms);
    promise.then(
      (value) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
