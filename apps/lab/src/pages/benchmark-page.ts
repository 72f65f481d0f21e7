import { fullPlan, quickPlan } from '../worker/benchmark-protocol.js';
import { BenchmarkSession } from './benchmark-session.js';
import type { PageContext } from './page.js';

/**
 * Benchmark: CPU and WebGPU solve and training-step throughput across circuit sizes and batch
 * sizes, as a chart and a table, with the adapter's description and limits and a button that
 * copies the results as JSON. `?quick=1` runs a small plan at once (used by the tests).
 * `#bench-status` carries `data-state` and `data-rows`; table rows carry `data-backend`.
 */
export function mount(context: PageContext): () => void {
  const query = new URLSearchParams(location.search);
  const quick = query.get('quick') === '1';
  const session = new BenchmarkSession(context.adapter, quick ? quickPlan : fullPlan);
  context.root.append(session.element);
  if (quick || query.get('autorun') === '1') session.run();
  return () => session.dispose();
}
