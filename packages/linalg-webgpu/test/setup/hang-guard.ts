/**
 * Test-process guard against native hangs (never a hang: a test run must end). Timers cannot fire
 * while Dawn or SwiftShader block the JS thread, so a worker thread watches a heartbeat that the
 * main thread bumps every 250 ms; after OHMLAB_HANG_GUARD_MS (default 90 s) without one it writes a
 * diagnosis to stderr with a synchronous write and kills this test process, which vitest then
 * reports as a failed file instead of waiting forever. Promise-level hangs are caught earlier by
 * the backend's GPU watchdog (README "Lifetime").
 */
import { Worker } from 'node:worker_threads';

const limitMs = Number(process.env['OHMLAB_HANG_GUARD_MS'] ?? 90_000);
const beat = new Int32Array(new SharedArrayBuffer(4));
const timer = setInterval(() => Atomics.add(beat, 0, 1), 250);
timer.unref();

const source = `
const { workerData } = require('node:worker_threads');
const { writeSync } = require('node:fs');
const beat = workerData.beat;
let last = Atomics.load(beat, 0);
let since = Date.now();
setInterval(() => {
  const now = Atomics.load(beat, 0);
  if (now !== last) { last = now; since = Date.now(); return; }
  if (Date.now() - since > workerData.limitMs) {
    writeSync(2, '[ohmlab hang-guard] the JS thread of this test process was blocked for ' + workerData.limitMs + ' ms (native hang in Dawn/SwiftShader?); killing pid ' + process.pid + ' so the run ends\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}, 1000);
`;

if (limitMs > 0) {
  const worker = new Worker(source, { eval: true, workerData: { beat, limitMs } });
  worker.unref();
}
