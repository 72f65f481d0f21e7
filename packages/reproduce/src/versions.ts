import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cpus, platform, arch } from 'node:os';

const here = dirname(fileURLToPath(import.meta.url));

function readVersion(packageJson: string): string | undefined {
  try {
    const parsed = JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown };
    return typeof parsed.version === 'string' ? parsed.version : undefined;
  } catch {
    return undefined;
  }
}

/** Version of an installed dependency, found by walking up node_modules from this module. */
function dependencyVersion(name: string): string {
  let dir = here;
  for (let depth = 0; depth < 8; depth++) {
    const v = readVersion(join(dir, 'node_modules', name, 'package.json'));
    if (v !== undefined) return v;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return 'unknown';
}

/** The software that produced a report: Node, platform, this package and its dependencies. */
export interface SoftwareVersions {
  readonly node: string;
  readonly platform: string;
  readonly cpus: number;
  readonly packages: Readonly<Record<string, string>>;
}

/** Collect Node/platform information and the versions of the packages a reproduction uses. */
export function softwareVersions(): SoftwareVersions {
  const packages: Record<string, string> = {
    '@ohmlab/reproduce': readVersion(join(here, '..', 'package.json')) ?? 'unknown',
  };
  for (const name of ['@ohmlab/graph', '@ohmlab/linalg-cpu', '@ohmlab/learners', '@ohmlab/analysis', 'd3-scale', 'd3-shape', 'd3-contour', 'd3-scale-chromatic']) {
    packages[name] = dependencyVersion(name);
  }
  return { node: process.version, platform: `${platform()} ${arch()}`, cpus: cpus().length, packages };
}
