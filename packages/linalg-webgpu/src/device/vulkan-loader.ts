/**
 * Node on Linux: Dawn opens `libvulkan.so.1` by name. Debian's chromium ships that loader beside
 * its SwiftShader ICD (`/usr/lib/chromium`) without installing it system-wide, and the library path
 * of a running process cannot be changed. When `VK_ICD_FILENAMES` points at an ICD whose folder
 * holds `libvulkan.so.1`, this loads that file once with RTLD_NODELETE so that Dawn's later
 * `dlopen("libvulkan.so.1")` finds it by soname. Returns the path loaded, or undefined.
 */
export async function preloadVulkanLoader(): Promise<string | undefined> {
  const proc = (globalThis as { process?: NodeJS.Process }).process;
  if (!proc || proc.platform !== 'linux' || typeof proc.dlopen !== 'function') return undefined;
  const icd = proc.env['VK_ICD_FILENAMES']?.split(':')[0];
  if (!icd) return undefined;
  const { existsSync } = await import('node:fs');
  const { dirname, join } = await import('node:path');
  const loader = join(dirname(icd), 'libvulkan.so.1');
  if (!existsSync(loader)) return undefined;
  const RTLD_NOW = 2;
  const RTLD_NODELETE = 0x1000; // glibc value; Node's os.constants.dlopen omits it
  try {
    proc.dlopen({ exports: {} } as NodeJS.Module, loader, RTLD_NOW | RTLD_NODELETE);
  } catch {
    // Expected: the file is no Node addon ("did not self-register"), but it stays loaded.
  }
  return loader;
}
