import type { RefutedClaim } from '../refuted.js';
import { escapeXml as esc } from '../svg/xml.js';
import type { Claim, ExperimentRecord } from '../types.js';
import type { SoftwareVersions } from '../versions.js';
import { REPORT_CSS } from './report-css.js';

/** Everything the report shows. */
export interface ReportInput {
  readonly entries: readonly { readonly record: ExperimentRecord; readonly skipped: boolean; readonly svgs: readonly { title: string; svg: string }[] }[];
  readonly mode: 'quick' | 'full';
  readonly seed: number;
  readonly backend: string;
  readonly totalMs: number;
  readonly generatedAt: string;
  readonly versions: SoftwareVersions;
  readonly notRun: readonly string[];
  readonly refuted: readonly RefutedClaim[];
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

function showNumber(x: number | string): string {
  if (typeof x === 'string') return x;
  if (Number.isInteger(x)) return String(x);
  return Math.abs(x) >= 1e4 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(4) : x.toPrecision(5);
}

function claimRow(c: Claim, refuted: RefutedClaim | undefined): string {
  const badge = c.pass ? '<span class="pass">PASS</span>' : '<span class="fail">FAIL</span>';
  const note = refuted === undefined ? '' : `<div class="why">Refuted by the numbers (documented): ${esc(refuted.why)}</div>`;
  return `<tr class="${c.pass ? 'ok' : 'bad'}"><td>${badge}</td><td>${esc(c.claim)}${note}</td><td class="num">${esc(showNumber(c.measured))}</td><td>${esc(c.expected)}</td></tr>`;
}

function section(input: ReportInput, entry: ReportInput['entries'][number]): string {
  const r = entry.record;
  const failed = r.claims.filter((c) => !c.pass).length;
  const claims = r.claims
    .map((c) => claimRow(c, input.refuted.find((x) => x.experiment === r.id && x.claim === c.claim)))
    .join('');
  const merit = Object.entries(r.figuresOfMerit)
    .map(([k, v]) => `<tr><td>${esc(k)}</td><td class="num">${esc(showNumber(v))}</td></tr>`)
    .join('');
  const figures = entry.svgs.map((f) => `<figure>${f.svg}<figcaption>${esc(f.title)}</figcaption></figure>`).join('');
  const scope = (r.outOfScope ?? [])
    .map((o) => `<tr><td>${esc(o.case)}<div class="why">${esc(o.why)}</div></td><td class="num">${esc(showNumber(o.measured))}</td></tr>`)
    .join('');
  const notes = r.notes.length === 0 ? '' : `<h4>Notes</h4><ul>${r.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`;
  return `<section id="${esc(r.id)}">
<h2>${esc(r.title)} <span class="${failed === 0 ? 'pass' : 'fail'}">${r.claims.length - failed}/${r.claims.length} claims</span></h2>
<p class="ref">${esc(r.paper)}: ${esc(r.reference)} &middot; id <code>${esc(r.id)}</code> &middot; seed ${r.seed} &middot; ${esc(r.mode)} &middot; run time ${seconds(r.durationMs)}${entry.skipped ? ' (reused from an earlier run, config unchanged)' : ''} &middot; started ${esc(r.startedAt)}</p>
<p>${esc(r.description)}</p>
<h4>Claims</h4><table class="claims"><thead><tr><th></th><th>claim</th><th>measured</th><th>expected</th></tr></thead><tbody>${claims}</tbody></table>
${scope === '' ? '' : `<h4>Out of scope (outside the stated assumptions; not counted as claims)</h4><table class="claims"><thead><tr><th>case</th><th>measured</th></tr></thead><tbody>${scope}</tbody></table>`}
${merit === '' ? '' : `<h4>Figures of merit</h4><table>${merit}</table>`}
<div class="figures">${figures}</div>
${notes}
<details><summary>Parameters (config hash ${esc(r.configHash.slice(0, 12))})</summary><pre>${esc(JSON.stringify(r.config, null, 2))}</pre></details>
</section>`;
}

/** Render the self-contained report (inline CSS and SVG, no external resources). */
export function renderReport(input: ReportInput): string {
  const all = input.entries.flatMap((e) => e.record.claims);
  const failed = all.filter((c) => !c.pass).length;
  const documented = input.entries.reduce(
    (n, { record: r }) => n + r.claims.filter((c) => !c.pass && input.refuted.some((x) => x.experiment === r.id && x.claim === c.claim)).length,
    0,
  );
  const toc = input.entries
    .map(({ record: r }) => {
      const f = r.claims.filter((c) => !c.pass).length;
      return `<tr><td><a href="#${esc(r.id)}">${esc(r.title)}</a></td><td>${esc(r.paper)}: ${esc(r.reference)}</td><td class="${f === 0 ? 'pass' : 'fail'}">${r.claims.length - f}/${r.claims.length}</td><td class="num">${seconds(r.durationMs)}</td></tr>`;
    })
    .join('');
  const failures = input.entries.flatMap(({ record: r }) => r.claims.filter((c) => !c.pass).map((c) => {
    const doc = input.refuted.find((x) => x.experiment === r.id && x.claim === c.claim);
    return `<tr class="bad"><td><a href="#${esc(r.id)}">${esc(r.id)}</a></td><td>${esc(c.claim)}<div class="why">${doc === undefined ? 'NOT documented as refuted: a regression or a new finding' : esc(doc.why)}</div></td><td class="num">${esc(showNumber(c.measured))}</td><td>${esc(c.expected)}</td></tr>`;
  })).join('');
  const failureTable = failures === '' ? '' : `<h3>Claims the numbers do not confirm</h3><table class="claims"><thead><tr><th>experiment</th><th>claim and why</th><th>measured</th><th>expected</th></tr></thead><tbody>${failures}</tbody></table>`;
  const versions = Object.entries(input.versions.packages).map(([k, v]) => `<tr><td>${esc(k)}</td><td>${esc(v)}</td></tr>`).join('');
  const notRun = input.notRun.length === 0 ? '' : `<p class="fail">Not run (interrupted or failed): ${input.notRun.map(esc).join(', ')}</p>`;
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Ohmlab reproduction report</title><style>${REPORT_CSS}</style></head>
<body><main>
<h1>Ohmlab reproduction report</h1>
<p class="summary"><span class="${failed === 0 ? 'pass' : 'fail'}">${all.length - failed} of ${all.length} claims pass</span>, ${failed} fail (${documented} of them documented as refuted by the numbers) &middot; ${input.entries.length} experiments &middot; ${esc(input.mode)} mode &middot; global seed ${input.seed} &middot; total ${seconds(input.totalMs)}</p>
${notRun}
<table class="toc"><thead><tr><th>experiment</th><th>reproduces</th><th>claims</th><th>run time</th></tr></thead><tbody>${toc}</tbody></table>
${failureTable}
<h3>Environment</h3>
<table><tr><td>generated</td><td>${esc(input.generatedAt)}</td></tr><tr><td>node</td><td>${esc(input.versions.node)}</td></tr><tr><td>platform</td><td>${esc(input.versions.platform)}, ${input.versions.cpus} CPUs</td></tr><tr><td>backend</td><td>${esc(input.backend)}</td></tr>${versions}</table>
${input.entries.map((e) => section(input, e)).join('\n')}
</main></body></html>
`;
}
