import { parseCircuit } from '@ohmlab/graph';
import { openStateSolver } from '@ohmlab/learners';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { formatVector } from '../format.js';

/** The JSON printed by `ohmlab solve --json` (public contract of issue 2). */
export interface SolveReport {
  voltages: number[];
  outputs: number[];
  loss: number;
  inputCurrents: number[];
  residual: number;
  method: string;
}

/** Free state of the circuit's own inputs: voltages, outputs, loss 1/2 |y - t|^2, input currents. */
export async function solveCommand(backend: SolverBackend, circuitJson: unknown): Promise<SolveReport> {
  const circuit = parseCircuit(circuitJson);
  const solver = openStateSolver(backend, circuit);
  try {
    const factorization = await solver.inputsOnly();
    const result = await factorization.solve({ count: 1, dirichletValues: circuit.inputValues });
    const voltages = Array.from(result.voltages);
    const outputs = Array.from(circuit.outputNodes, (node) => voltages[node]!);
    const loss = 0.5 * outputs.reduce((acc, y, o) => acc + (y - circuit.targets[o]!) ** 2, 0);
    return {
      voltages,
      outputs,
      loss,
      inputCurrents: Array.from(result.dirichletCurrents),
      residual: result.maxResidual,
      method: factorization.method,
    };
  } finally {
    solver.dispose();
  }
}

export function formatSolveReport(report: SolveReport, backendName: string): string {
  const lines = [
    `free state (${report.voltages.length} nodes, ${backendName}, ${report.method})`,
    `  outputs         ${formatVector(report.outputs)}`,
    `  loss            ${report.loss.toExponential(6)}   (1/2 |y - t|^2)`,
    `  input currents  ${formatVector(report.inputCurrents)}   (into the network)`,
    `  residual        ${report.residual.toExponential(2)}   (relative, Kirchhoff at free nodes)`,
    `  voltages        ${formatVector(report.voltages, 12)}`,
  ];
  return lines.join('\n');
}
