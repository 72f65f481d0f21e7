import { runBenchmark } from '../ohmlab/benchmark.js';
import type { BenchmarkReply, BenchmarkRequest } from './benchmark-protocol.js';

/** Runs the Benchmark page's plan off the main thread, posting each row as it is measured. */
self.onmessage = (event: MessageEvent<BenchmarkRequest>) => {
  const started = performance.now();
  const post = (reply: BenchmarkReply): void => self.postMessage(reply);
  runBenchmark(event.data, post)
    .then(() => post({ type: 'done', elapsedMs: performance.now() - started }))
    .catch((error: unknown) =>
      post({ type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
    );
};
