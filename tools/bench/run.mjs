#!/usr/bin/env node
// `pnpm bench`: runs every workspace package's `bench` script in turn (after `pnpm build`), passing
// the arguments given here (e.g. `pnpm bench --quick`, `pnpm bench --only linalg-cpu,learners`).
// Each package prints its table and writes bench-results/<folder>.json; this runner writes
// bench-results/index.json listing what ran, how long it took and where its JSON is.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const onlyIndex = args.indexOf('--only');
const only = onlyIndex >= 0 ? new Set((args[onlyIndex + 1] ?? '').split(',').filter(Boolean)) : undefined;
const passed = onlyIndex >= 0 ? args.filter((_, i) => i !== onlyIndex && i !== onlyIndex + 1) : args;

// Dependency order: solvers first, then what stands on them.
const order = ['graph', 'linalg-cpu', 'linalg-webgpu', 'learners', 'analysis', 'reproduce', 'cli', 'lab'];
const packages = ['packages', 'apps']
  .flatMap((group) => readdirSync(join(root, group)).map((name) => ({ name, dir: join(root, group, name) })))
  .filter(({ dir }) => existsSync(join(dir, 'package.json')))
  .filter(({ dir }) => Boolean(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).scripts?.bench))
  .filter(({ name }) => !only || only.has(name))
  .sort((a, b) => (order.indexOf(a.name) + 99) % 99 - (order.indexOf(b.name) + 99) % 99);

if (packages.length === 0) {
  console.error(`no package with a bench script${only ? ` among ${[...only].join(', ')}` : ''}`);
  process.exit(1);
}
mkdirSync(join(root, 'bench-results'), { recursive: true });
const runs = [];
for (const { name, dir } of packages) {
  console.log(`\n=== ${name}: pnpm run bench ${passed.join(' ')}   (load ${loadavg()[0].toFixed(2)} on ${cpus().length} cores)`);
  const started = Date.now();
  const result = spawnSync('pnpm', ['run', '--silent', 'bench', ...passed], { cwd: dir, stdio: 'inherit', env: process.env });
  const seconds = (Date.now() - started) / 1000;
  const json = join('bench-results', `${name}.json`);
  runs.push({ package: name, status: result.status, seconds, results: existsSync(join(root, json)) ? json : null });
  console.log(`=== ${name}: ${result.status === 0 ? 'done' : `FAILED (exit ${result.status})`} in ${seconds.toFixed(1)} s`);
}
const index = {
  date: new Date().toISOString(),
  args: passed,
  node: process.version,
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model ?? 'unknown',
  runs,
};
writeFileSync(join(root, 'bench-results', 'index.json'), `${JSON.stringify(index, null, 2)}\n`);
console.log(`\nwrote bench-results/index.json (${runs.filter((r) => r.status === 0).length} of ${runs.length} benchmarks ran)`);
process.exit(runs.every((r) => r.status === 0) ? 0 : 1);
