import { analyzeCircuit, type CircuitAnalysis } from '@ohmlab/analysis';
import { parseCircuit } from '@ohmlab/graph';
import type { Rule } from '@ohmlab/learners';
import { openBackend, type BackendName } from '../backend.js';
import { UsageError } from '../errors.js';
import { fmt, formatVector } from '../format.js';
import { readJsonFile } from '../read-json.js';

export interface AnalyzeArgs {
  file: string | undefined;
  json: boolean;
  rule: string | undefined;
  backendName: BackendName;
}

function parseRule(value: string | undefined): Rule {
  if (value === undefined) return 'ep';
  if (value === 'ep' || value === 'cl' || value === 'al') return value;
  throw new UsageError(`--rule must be "ep", "cl" or "al", got "${value}"`);
}

function formatAnalysis(a: CircuitAnalysis, backend: string): string {
  const c = a.coercivity;
  return [
    `analysis (rule ${a.rule.toUpperCase()}, ${backend})`,
    `  loss              ${fmt(a.loss)}   (1/2 |y - t|^2, mean over samples)`,
    `  weighted loss     ${fmt(a.weightedLoss)}   (CL: 1/2 r^T D r)`,
    `  adjoint loss      ${fmt(a.adjointLoss)}   (AL: 1/2 |mu|^2)`,
    `  active edges      ${a.activeEdges.length} of ${a.jacobian[0]?.length ?? 0}   (free drop > ${a.activeTolerance} x largest)`,
    `  rank of M         ${a.rank} of ${a.singularValues.length}   (${a.regular ? 'regular: coercive' : 'NOT regular: coercivity fails'})`,
    `  singular values   ${formatVector(a.singularValues)}`,
    `  coercivity        EP ${fmt(c.ep)}   CL ${fmt(c.cl)} (cubic bound ${fmt(c.clCubic)}, basin L_CL < ${fmt(c.clBasin)})   AL ${fmt(c.al)}`,
    `  manifold dim      ${a.manifoldDimension}   (m - rank)`,
    `  conserved         ${a.conservation.quantity} = ${fmt(a.conservation.value)}, d/dt ${fmt(a.conservation.rate)}, one-sided nudge drift ${fmt(a.conservation.driftPerEta)} x eta`,
    `  fixed point       ${a.fixedPoint}`,
  ].join('\n');
}

/** `ohmlab analyze`: losses, active edges, rank and regularity, coercivity, Jacobian, conservation. */
export async function analyzeCommand(args: AnalyzeArgs): Promise<number> {
  const rule = parseRule(args.rule);
  const circuit = parseCircuit(readJsonFile(args.file, 'circuit'));
  const backend = await openBackend(args.backendName);
  try {
    const analysis = await analyzeCircuit(backend, circuit, { rule });
    process.stdout.write(`${args.json ? JSON.stringify(analysis) : formatAnalysis(analysis, backend.description)}\n`);
    return 0;
  } finally {
    backend.dispose();
  }
}
