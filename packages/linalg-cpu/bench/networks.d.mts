import type { Network } from '../src/solver.js';

export function mulberry32(seed: number): () => number;
export function erdosRenyiNetwork(nodeCount: number, meanDegree: number, seed: number): Network;
export function gridNetwork(rows: number, cols: number): Network;
export function randomConductances(edgeCount: number, seed: number, lo?: number, hi?: number): Float64Array;
export function distinctNodes(n: number, count: number, seed: number): Uint32Array;
export function randomValues(length: number, seed: number, lo?: number, hi?: number): Float64Array;
