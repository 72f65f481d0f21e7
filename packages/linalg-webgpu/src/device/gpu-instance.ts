import { preloadVulkanLoader } from './vulkan-loader.js';

let instance: Promise<GPU | undefined> | undefined;

/** `navigator.gpu` in a browser, else npm `webgpu` (Dawn) in Node; undefined elsewhere. */
async function findGpu(): Promise<GPU | undefined> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return nav.gpu;
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  if (!proc?.versions?.node) return undefined;
  await preloadVulkanLoader();
  const pkg = 'webgpu';
  const mod = (await import(/* @vite-ignore */ pkg)) as { create(flags: string[]): GPU };
  return mod.create([]);
}

/**
 * The process-wide `GPU` entry point, created once and kept for the life of the process.
 *
 * Decision (README "Lifetime"): Dawn in Node (npm `webgpu`) runs one native instance per
 * `create()` call, and releasing one from a garbage-collector finalizer while devices or queued
 * work still refer to it is where teardown crashes and hangs come from. One instance per process,
 * never released, removes that class of failure; a process holding it still exits normally
 * (checked with webgpu 0.6.2). Devices are created per backend and destroyed explicitly.
 */
export function gpuInstance(): Promise<GPU | undefined> {
  instance ??= findGpu().catch((e: unknown) => {
    instance = undefined;
    throw e;
  });
  return instance;
}
