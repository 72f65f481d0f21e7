import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = resolve(__dirname, '../dist/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'ohmlab-cli-'));

function run(args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8' });
}

function writeJson(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(value));
  return file;
}

// Voltage divider: node 0 at V = 2, node 1 grounded, output node 2 between them.
const k1 = 3;
const k2 = 1;
const divider = {
  nodes: 3,
  edges: [[0, 2], [2, 1]],
  conductances: [k1, k2],
  inputs: { nodes: [0, 1], values: [2, 0] },
  outputs: { nodes: [2], targets: [1] },
};

describe('ohmlab solve', () => {
  it('prints the divider free state as JSON, matching the closed form', () => {
    const res = run(['solve', writeJson('divider.json', divider), '--json']);
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    const y = (2 * k1) / (k1 + k2); // x_out = V k1 / (k1 + k2)
    expect(out.outputs[0]).toBeCloseTo(y, 12);
    expect(out.voltages).toHaveLength(3);
    expect(out.loss).toBeCloseTo(0.5 * (y - 1) ** 2, 12);
    // Current through the divider: k1 (V - y) enters at node 0 and leaves at node 1.
    const current = k1 * (2 - y);
    expect(out.inputCurrents[0]).toBeCloseTo(current, 12);
    expect(out.inputCurrents[1]).toBeCloseTo(-current, 12);
    expect(out.residual).toBeLessThan(1e-12);
  });

  it('prints a readable summary without --json', () => {
    const res = run(['solve', join(dir, 'divider.json')]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/loss/);
    expect(res.stdout).toMatch(/input currents/);
  });

  it('exits non-zero with the CircuitError message on a bad file', () => {
    const bad = { ...divider, edges: [[0, 2], [2, 7]] };
    const res = run(['solve', writeJson('bad.json', bad)]);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/CircuitError/);
    expect(res.stderr).toMatch(/edges/);
  });

  it('names the file when it is not JSON or missing', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"nodes": 3,');
    expect(run(['solve', file]).stderr).toMatch(/not valid JSON/);
    expect(run(['solve', join(dir, 'nope.json')]).stderr).toMatch(/cannot read circuit file/);
  });

  it('rejects an unknown backend', () => {
    const res = run(['solve', join(dir, 'divider.json'), '--backend', 'cuda']);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(/--backend must be/);
  });
});

describe('ohmlab train', () => {
  it('trains the divider with EP to a lower loss and writes the history', () => {
    const experiment = writeJson('exp.json', {
      circuit: divider,
      rule: 'ep',
      nudge: 'zero',
      alpha: 0.5,
      time: 'discrete',
      steps: 200,
      parametrisation: 'conductance',
      boundary: 'remove',
      seed: 1,
    });
    const out = join(dir, 'train-out');
    const res = run(['train', experiment, '--json', '--out', out]);
    expect(res.status, res.stderr).toBe(0);
    const result = JSON.parse(res.stdout);
    expect(result.history.loss.length).toBeGreaterThan(1);
    expect(result.final.loss).toBeLessThan(result.history.loss[0] * 1e-3);
    // EP zero-nudge conserves sum k^2 (THEORY.md "Invariants") up to the O(alpha^2) step error.
    const mass = result.history.mass;
    expect(mass[0]).toBeCloseTo(k1 * k1 + k2 * k2, 12);
    expect(existsSync(join(out, 'history.csv'))).toBe(true);
    expect(readFileSync(join(out, 'history.csv'), 'utf8').split('\n')[0]).toMatch(/^step,loss/);
  });

  it('rejects an unknown rule with the field named', () => {
    const experiment = writeJson('bad-exp.json', { circuit: divider, rule: 'bp', nudge: 'zero', alpha: 1, time: 'discrete', steps: 1 });
    const res = run(['train', experiment]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/^ohmlab: LearnerConfigError: rule: /);
    expect(res.stderr.trim().split('\n')).toHaveLength(1); // the message, no stack trace
  });

  it('reports a misspelt field and a missing eta as one line each, naming the field', () => {
    for (const [config, field] of [
      [{ circuit: divider, rule: 'ep', nudge: 'zero', alpha: 1, time: 'discrete', steps: 1, paramterisation: 'log' }, 'paramterisation'],
      [{ circuit: divider, rule: 'cl', nudge: 'finite', alpha: 1, time: 'discrete', steps: 1 }, 'eta'],
    ] as const) {
      const res = run(['train', writeJson(`bad-${field}.json`, config)]);
      expect(res.status).toBe(1);
      expect(res.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^ohmlab: LearnerConfigError: ${field}: `))]);
    }
  });
});

describe('ohmlab help', () => {
  it('lists the commands', () => {
    const text = execFileSync(process.execPath, [bin, 'help'], { encoding: 'utf8' });
    for (const c of ['solve', 'train', 'analyze', 'reproduce']) expect(text).toMatch(c);
  });
});

describe('ohmlab analyze', () => {
  // Divider with V = 2: y = V k1 / (k1 + k2), dy/dk1 = V k2 / (k1 + k2)^2, dy/dk2 = -V k1 / (k1 + k2)^2.
  const s = k1 + k2;
  const dy = [(2 * k2) / s ** 2, (-2 * k1) / s ** 2];

  it('prints the report as JSON with the Jacobian and c_EP of the closed form', () => {
    const res = run(['analyze', join(dir, 'divider.json'), '--json']);
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout);
    for (const key of ['loss', 'weightedLoss', 'adjointLoss', 'activeEdges', 'rank', 'regular', 'coercivity', 'jacobian', 'conservedQuantity', 'massRate', 'fixedPoint']) {
      expect(out, key).toHaveProperty(key);
    }
    expect(out.jacobian[0][0]).toBeCloseTo(dy[0]!, 12);
    expect(out.jacobian[0][1]).toBeCloseTo(dy[1]!, 12);
    // p = 1: M = -(dy/dk)^T is a column, c_EP = |M|^2 (THEORY.md "Coercivity and regularity").
    expect(out.coercivity.ep).toBeCloseTo(dy[0]! ** 2 + dy[1]! ** 2, 12);
    expect(out.rank).toBe(1);
    expect(out.regular).toBe(true);
    expect(out.conservedQuantity).toBeCloseTo(k1 * k1 + k2 * k2, 12);
    expect(Math.abs(out.massRate)).toBeLessThan(1e-12);
    expect(out.fixedPoint).toBe('none');
  });

  it('reports a solution when the target is met, and rejects an unknown rule', () => {
    const met = writeJson('met.json', { ...divider, outputs: { nodes: [2], targets: [(2 * k1) / (k1 + k2)] } });
    const res = run(['analyze', met, '--json', '--rule', 'al']);
    expect(res.status, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout).fixedPoint).toBe('solution');
    const bad = run(['analyze', met, '--rule', 'sgd']);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toMatch(/--rule must be/);
  });
});

describe('ohmlab demo', () => {
  it('trains both circuits with EP, CL and AL; EP and CL keep sum k^2', () => {
    const res = run(['demo']);
    expect(res.status, res.stderr).toBe(0);
    const rows = res.stdout.split('\n').filter((l) => /^\s+(EP|CL|AL)\s/.test(l));
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const [, before, after] = /sum k\^2 (\S+) -> (\S+)/.exec(row)!;
      if (/^\s+AL/.test(row)) expect(Number(after)).toBeLessThan(Number(before));
      else expect(Number(after)).toBeCloseTo(Number(before), 4);
    }
  });
});

describe('--backend webgpu without an adapter', () => {
  it('falls back to the CPU with one message and the same answer', () => {
    const res = spawnSync(process.execPath, [bin, 'solve', join(dir, 'divider.json'), '--json', '--backend', 'webgpu'], {
      encoding: 'utf8',
      env: { ...process.env, OHMLAB_WEBGPU: '0' },
    });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/CPU/);
    expect(JSON.parse(res.stdout).outputs[0]).toBeCloseTo((2 * k1) / (k1 + k2), 12);
  });
});

describe('ohmlab train: which path ran the steps', () => {
  const experiment = () => writeJson('path-exp.json', { circuit: divider, rule: 'ep', nudge: 'zero', alpha: 0.05, time: 'discrete', steps: 40, record: 5 });
  const swiftShader = '/usr/lib/chromium/vk_swiftshader_icd.json';

  it('says so on the CPU backend (no fused trainer there)', () => {
    const res = run(['train', experiment()]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/path {8}generic \(factor \+ solve per step\): backend "cpu" has no fused trainer/);
  });

  it.skipIf(!existsSync(swiftShader))('--backend webgpu (SwiftShader): the fused trainer, the same run as the CPU', () => {
    const env = { ...process.env, VK_ICD_FILENAMES: process.env['VK_ICD_FILENAMES'] ?? swiftShader };
    const gpu = spawnSync(process.execPath, [bin, 'train', experiment(), '--backend', 'webgpu'], { encoding: 'utf8', env });
    expect(gpu.status, gpu.stderr).toBe(0);
    expect(gpu.stdout).toMatch(/path {8}fused \(webgpu\): 40 of 40 steps in the fused trainer/);
    const json = spawnSync(process.execPath, [bin, 'train', experiment(), '--backend', 'webgpu', '--json'], { encoding: 'utf8', env });
    expect(json.status, json.stderr).toBe(0);
    const got = JSON.parse(json.stdout);
    const want = JSON.parse(run(['train', experiment(), '--json']).stdout);
    expect(got.path.kind).toBe('fused');
    expect(got.history.step).toEqual(want.history.step);
    got.final.conductances.forEach((k: number, j: number) => expect(Math.abs(k - want.final.conductances[j])).toBeLessThan(1e-10 * k1));
    expect(Math.abs(got.final.conductances[0] - k1)).toBeGreaterThan(1e-4);
  });
});

describe('ohmlab reproduce', () => {
  it('runs one quick experiment, writes its JSON, figure and the report, and names the documented refutations', () => {
    const out = join(dir, 'repro');
    const res = run(['reproduce', '--quick', '--only', 'kite-landscape', '--out', out]);
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/refuted by the numbers \(documented\): kite-landscape/);
    expect(res.stdout).not.toMatch(/UNEXPECTED/);
    const record = JSON.parse(readFileSync(join(out, 'kite-landscape', 'kite-landscape.json'), 'utf8'));
    expect(record.claims.length).toBeGreaterThan(0);
    for (const c of record.claims) expect(Object.keys(c)).toEqual(expect.arrayContaining(['claim', 'measured', 'expected', 'pass']));
    expect(existsSync(join(out, 'kite-landscape', 'kite-landscape.svg'))).toBe(true);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toMatch(/<svg/);
  });
});
