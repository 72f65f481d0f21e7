import type { SolverBackend } from '@ohmlab/linalg-cpu';
import { createInterimLab } from './interim/interim-lab.js';
import type { Lab } from './lab.js';
import { createUpstreamLab } from './upstream-lab.js';

export type { Lab, NudgeSpec, Rule, Trajectory, FlowOptions } from './lab.js';

/** Name of the stub backend returned while `@ohmlab/linalg-cpu` has no `createCpuBackend`. */
export const INTERIM_BACKEND_NAME = 'interim-dense';

/**
 * The numerical port for a backend: `@ohmlab/learners` on a real solver backend, or the interim
 * dense implementation when only the stub backend exists.
 */
export function labFor(backend: SolverBackend): Lab {
  return backend.name === INTERIM_BACKEND_NAME ? createInterimLab() : createUpstreamLab(backend);
}
