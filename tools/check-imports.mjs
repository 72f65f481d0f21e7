#!/usr/bin/env node
// Import hygiene (STYLE.md): no import cycles between workspace packages or between the modules of
// one package, no reaching into another package's source by a relative path, and the layering of
// DEVELOPERS.md: `learners` and `analysis` see solvers only through the interface (never WebGPU),
// `graph` knows nothing of solvers, and no package imports an app. Exit 1 with a list on violation.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const problems = [];

const workspaces = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => join(root, group, name))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, group: relative(root, dir).split('/')[0], json: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) })),
);
const byName = new Map(workspaces.map((w) => [w.json.name, w]));

/** Forbidden runtime imports: package -> packages it must never import from its src. */
const forbidden = {
  '@ohmlab/graph': ['@ohmlab/linalg-cpu', '@ohmlab/linalg-webgpu', '@ohmlab/learners', '@ohmlab/analysis', '@ohmlab/reproduce'],
  '@ohmlab/linalg-cpu': ['@ohmlab/linalg-webgpu', '@ohmlab/learners', '@ohmlab/analysis', '@ohmlab/reproduce'],
  '@ohmlab/linalg-webgpu': ['@ohmlab/learners', '@ohmlab/analysis', '@ohmlab/reproduce'],
  '@ohmlab/learners': ['@ohmlab/linalg-webgpu', '@ohmlab/analysis', '@ohmlab/reproduce'],
  '@ohmlab/analysis': ['@ohmlab/linalg-webgpu', '@ohmlab/reproduce'],
};

function findCycle(graph) {
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 1);
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 1) return [...stack.slice(stack.indexOf(next)), next];
      if (!state.has(next)) {
        const cycle = visit(next);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(node, 2);
    return undefined;
  };
  for (const node of graph.keys()) {
    if (!state.has(node)) {
      const cycle = visit(node);
      if (cycle) return cycle;
    }
  }
  return undefined;
}

// 1. Package graph (dependencies and devDependencies on workspace packages).
const packageGraph = new Map(
  workspaces.map((w) => [
    w.json.name,
    Object.keys({ ...w.json.dependencies, ...w.json.devDependencies }).filter((d) => byName.has(d)),
  ]),
);
const packageCycle = findCycle(packageGraph);
if (packageCycle) problems.push(`package dependency cycle: ${packageCycle.join(' -> ')}`);
for (const w of workspaces) {
  for (const dep of packageGraph.get(w.json.name)) {
    if (byName.get(dep).group === 'apps') problems.push(`${w.json.name} depends on the app ${dep}`);
  }
}

// 2. Modules of each package's src.
const importPattern = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|mts)$/.test(name) && !/\.d\.m?ts$/.test(name) ? [path] : [];
  });
}
function resolveModule(from, spec) {
  const base = resolve(dirname(from), spec).replace(/\.(m?js)$/, '');
  for (const candidate of [`${base}.ts`, `${base}.mts`, join(base, 'index.ts')]) if (existsSync(candidate)) return candidate;
  return undefined;
}
for (const w of workspaces) {
  const files = sourceFiles(join(w.dir, 'src'));
  const moduleGraph = new Map();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const edges = [];
    for (const match of text.matchAll(importPattern)) {
      const spec = match[1] ?? match[2];
      const isTypeOnly = /^\s*(?:import|export)\s+type\s/.test(match[0].replace(/^\n/, ''));
      if (spec.startsWith('.')) {
        const target = resolveModule(file, spec);
        if (!target) continue;
        if (!target.startsWith(`${w.dir}/`)) problems.push(`${relative(root, file)} reaches outside its package: ${spec}`);
        else if (!isTypeOnly) edges.push(target);
      } else if (!isTypeOnly && !/\.test\.ts$/.test(file) && (forbidden[w.json.name] ?? []).some((f) => spec === f || spec.startsWith(`${f}/`))) {
        problems.push(`${relative(root, file)} imports ${spec}, which ${w.json.name} must not use (layering)`);
      }
    }
    moduleGraph.set(file, edges);
  }
  const cycle = findCycle(moduleGraph);
  if (cycle) problems.push(`module import cycle in ${w.json.name}: ${cycle.map((f) => relative(w.dir, f)).join(' -> ')}`);
}

if (problems.length > 0) {
  console.error(`import check: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`import check: ${workspaces.length} workspace packages, no cycles, layering respected`);
