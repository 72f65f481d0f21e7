import { erdosRenyi, grid2d } from '@ohmlab/graph';

/**
 * The circuits the fused-trainer suites train: an 18-node Erdos-Renyi circuit with 3 samples over
 * 2 outputs, a 5 x 5 grid, and a 14-node Erdos-Renyi circuit with small conductances (boundary hits).
 */
export const fusedSamples = [
  { inputs: Float64Array.of(1, 0), targets: Float64Array.of(0.3, 0.6) },
  { inputs: Float64Array.of(0.5, 0), targets: Float64Array.of(0.2, 0.45) },
  { inputs: Float64Array.of(0.8, 0.2), targets: Float64Array.of(0.5, 0.4) },
];
export const fusedEr = erdosRenyi({ nodes: 18, meanDegree: 4, seed: 12, outputs: 2, samples: fusedSamples });
export const fusedGrid = grid2d({ rows: 5, cols: 5, seed: 3 });
export const fusedSparse = erdosRenyi({ nodes: 14, meanDegree: 5, seed: 5, outputs: 2, samples: fusedSamples, conductanceRange: [0.02, 1] });
