import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { KNOWN_REFUTED_CLAIMS } from '../refuted.js';
import type { ExperimentRecord } from '../types.js';
import { softwareVersions } from '../versions.js';
import { renderReport } from './render-report.js';

/** Read every figure of the finished records and write the self-contained `report.html` atomically. */
export async function writeReport(
  path: string,
  records: readonly { record: ExperimentRecord; skipped: boolean }[],
  run: { mode: 'quick' | 'full'; seed: number; backend: SolverBackend; totalMs: number; planned: readonly string[] },
): Promise<void> {
  const outDir = dirname(path);
  const entries = [];
  for (const { record, skipped } of records) {
    const svgs: { title: string; svg: string }[] = [];
    for (const f of record.figures) {
      const svg = await readFile(join(outDir, record.id, f.file), 'utf8').catch(() => `<p class="missing">figure ${f.file} is missing</p>`);
      svgs.push({ title: f.title, svg });
    }
    entries.push({ record, skipped, svgs });
  }
  const html = renderReport({
    entries,
    mode: run.mode,
    seed: run.seed,
    backend: `${run.backend.name}: ${run.backend.description}; numerics: @ohmlab/learners (states, rules, trainers) and @ohmlab/analysis (coercivity, landscape)`,
    totalMs: run.totalMs,
    generatedAt: new Date().toISOString(),
    versions: softwareVersions(),
    notRun: run.planned.filter((id) => !records.some((r) => r.record.id === id)),
    refuted: KNOWN_REFUTED_CLAIMS,
  });
  await writeFileAtomic(path, html);
}
