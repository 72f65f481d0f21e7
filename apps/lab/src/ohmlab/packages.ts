import * as analysis from '@ohmlab/analysis';
import * as graph from '@ohmlab/graph';
import * as learners from '@ohmlab/learners';
import * as linalgCpu from '@ohmlab/linalg-cpu';
import * as linalgWebgpu from '@ohmlab/linalg-webgpu';

/** An @ohmlab package lacks a function the lab calls (it is older than the lab, or not built). */
export class MissingApiError extends Error {
  override readonly name = 'MissingApiError';
}

const modules = {
  graph: graph as object,
  'linalg-cpu': linalgCpu as object,
  'linalg-webgpu': linalgWebgpu as object,
  learners: learners as object,
  analysis: analysis as object,
} as const;

export type PackageName = keyof typeof modules;

/**
 * Looks up an exported function of an @ohmlab package at run time, so the lab builds against
 * whatever the packages export and names precisely what is missing when a page needs it.
 */
export function api<T>(pkg: PackageName, name: string): T {
  const value = (modules[pkg] as Record<string, unknown>)[name];
  if (typeof value !== 'function') {
    throw new MissingApiError(
      `@ohmlab/${pkg} does not export ${name}(); rebuild it (pnpm --filter @ohmlab/${pkg} build) or update the lab`,
    );
  }
  return value as T;
}

/** Whether `pkg` exports a function called `name`. */
export function has(pkg: PackageName, name: string): boolean {
  return typeof (modules[pkg] as Record<string, unknown>)[name] === 'function';
}
