import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLValidator } from 'fast-xml-parser';
import { beforeAll, describe, expect, it } from 'vitest';
import { KNOWN_REFUTED_CLAIMS } from '../src/refuted.js';
import { EXPERIMENTS } from '../src/registry.js';
import { reproduce, type ReproduceSummary } from '../src/reproduce.js';

describe('quick reproduction of both papers', () => {
  let outDir = '';
  let summary: ReproduceSummary;
  beforeAll(async () => {
    outDir = await mkdtemp(join(tmpdir(), 'ohmlab-quick-'));
    summary = await reproduce({ outDir, quick: true });
  }, 170_000);

  it('runs every registered experiment', () => {
    expect(summary.experimentIds).toEqual(EXPERIMENTS.map((e) => e.id));
    expect(summary.experiments.every((e) => !e.skipped && e.claims.length > 0)).toBe(true);
  });

  it('every claim passes except exactly the documented refuted ones', () => {
    const failing = summary.failing.map((f) => `${f.experiment}: ${f.claim}`).sort();
    const documented = KNOWN_REFUTED_CLAIMS.map((r) => `${r.experiment}: ${r.claim}`).sort();
    expect(failing).toEqual(documented);
    expect(summary.failing.every((f) => f.documented)).toBe(true);
  });

  it('reports the SISO circuits outside Thm 4.1\'s assumptions as out of scope, not as claims', async () => {
    const record = JSON.parse(await readFile(join(outDir, 'siso-convergence', 'siso-convergence.json'), 'utf8')) as { outOfScope: { case: string; measured: number }[]; claims: { claim: string }[] };
    expect(record.outOfScope.length).toBeGreaterThan(0);
    // The output on the source alone is pinned at the source voltage for every conductance vector.
    expect(record.outOfScope[0]?.measured).toBeLessThan(1e-12);
    expect(record.claims.some((c) => /source alone/.test(c.claim))).toBe(false);
  });

  it('writes one JSON record in the claims format and valid SVG figures per experiment', async () => {
    for (const id of summary.experimentIds) {
      const record = JSON.parse(await readFile(join(outDir, id, `${id}.json`), 'utf8')) as { claims: Record<string, unknown>[]; figures: { file: string }[]; configHash: string; seed: number };
      for (const c of record.claims) {
        expect(Object.keys(c).sort()).toEqual(['claim', 'expected', 'measured', 'pass']);
        expect(typeof c.pass).toBe('boolean');
      }
      expect(record.figures.length).toBeGreaterThan(0);
      for (const f of record.figures) {
        const svg = await readFile(join(outDir, id, f.file), 'utf8');
        expect(XMLValidator.validate(svg)).toBe(true);
        expect(svg).toContain('<path');
      }
      expect((await readdir(join(outDir, id))).some((n) => n.endsWith('.tmp'))).toBe(false);
    }
  });

  it('report.html is self-contained and shows every claim with its verdict', async () => {
    const html = await readFile(summary.reportFile, 'utf8');
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(html.match(/<svg xmlns=/g)?.length).toBe(summary.experiments.reduce((s, e) => s + e.figureFiles.length, 0));
    expect(html.match(/class="fail">FAIL</g)?.length).toBe(KNOWN_REFUTED_CLAIMS.length);
    expect(html.match(/class="pass">PASS</g)?.length).toBe(summary.claims.passed);
    expect(html).toContain(process.version);
    expect(html).toContain('Claims the numbers do not confirm');
    expect(html).toContain('Out of scope');
    expect(html).not.toContain('NOT documented');
  });

  it('is deterministic: a forced rerun of one experiment reproduces its data exactly', async () => {
    const id = 'discrete-ep-cl';
    const before = JSON.parse(await readFile(join(outDir, id, `${id}.json`), 'utf8')) as { data: unknown; claims: unknown };
    await reproduce({ outDir, quick: true, only: [id], force: true });
    const after = JSON.parse(await readFile(join(outDir, id, `${id}.json`), 'utf8')) as { data: unknown; claims: unknown };
    expect(after.data).toEqual(before.data);
    expect(after.claims).toEqual(before.claims);
  });
});
