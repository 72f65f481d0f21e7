import { reproduce } from '@ohmlab/reproduce';
import { openBackend, type BackendName } from '../backend.js';
import { progressBar, type ProgressBar } from '../progress.js';

export interface ReproduceArgs {
  out: string | undefined;
  quick: boolean;
  only: string | undefined;
  backendName: BackendName;
}

/** `ohmlab reproduce`: re-runs the papers' experiments with a progress bar each, then summarises. */
export async function reproduceCommand(args: ReproduceArgs): Promise<number> {
  const backend = await openBackend(args.backendName);
  const bars = new Map<string, ProgressBar>();
  const barOf = (id: string) => {
    let bar = bars.get(id);
    if (!bar) {
      bar = progressBar(id);
      bars.set(id, bar);
    }
    return bar;
  };
  try {
    const summary = await reproduce({
      outDir: args.out ?? 'ohmlab-out/reproduction',
      quick: args.quick,
      backend,
      ...(args.only ? { only: args.only.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
      onProgress: (e) => barOf(e.experiment).update(e.done, e.total, e.message),
      log: (message) => process.stderr.write(`${message}\n`),
    });
    for (const experiment of summary.experiments) {
      const bar = bars.get(experiment.id) ?? progressBar(experiment.id);
      bar.finish(
        `${experiment.skipped ? '(resumed: unchanged, skipped) ' : ''}${experiment.passed} passed, ${experiment.failed} failed`,
      );
    }
    const { claims } = summary;
    const refuted = summary.failing.filter((f) => f.documented);
    const unexpected = summary.failing.filter((f) => !f.documented);
    process.stdout.write(
      [
        `reproduction (${summary.mode}, seed ${summary.seed}, ${summary.backend}) in ${(summary.durationMs / 1000).toFixed(1)} s`,
        `claims: ${claims.passed} passed, ${claims.failed} failed (of ${claims.total})`,
        ...refuted.map((f) => `  refuted by the numbers (documented): ${f.experiment}: ${f.claim}`),
        ...unexpected.map((f) => `  UNEXPECTED failure (not a documented refutation): ${f.experiment}: ${f.claim}`),
        `report: ${summary.reportFile}`,
        '',
      ].join('\n'),
    );
    // A claim that fails without being a documented refutation means the numbers changed: say so.
    return unexpected.length > 0 ? 2 : 0;
  } finally {
    backend.dispose();
  }
}
