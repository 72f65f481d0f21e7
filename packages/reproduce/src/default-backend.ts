import * as linalgCpu from '@ohmlab/linalg-cpu';
import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { INTERIM_BACKEND_NAME } from './lab/index.js';

/**
 * The default backend of a reproduction: `@ohmlab/linalg-cpu`'s float64 `createCpuBackend()`.
 * While that package does not export it yet, a named stub is returned (the interim lab solves
 * densely and never calls the backend), so the report says which solver ran.
 */
export async function defaultBackend(): Promise<SolverBackend> {
  const create = (linalgCpu as unknown as { createCpuBackend?: () => SolverBackend | Promise<SolverBackend> }).createCpuBackend;
  if (typeof create === 'function') return await create();
  return {
    name: INTERIM_BACKEND_NAME,
    description: 'dense float64 elimination inside @ohmlab/reproduce (@ohmlab/linalg-cpu has no createCpuBackend yet)',
    factor: () => Promise.reject(new Error('interim-dense backend: factor() is not available; build @ohmlab/linalg-cpu')),
    dispose: () => undefined,
  };
}
