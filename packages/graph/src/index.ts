export type { Circuit, Sample } from './circuit.js';
