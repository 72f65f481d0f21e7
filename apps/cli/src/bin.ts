import { parseArgs } from 'node:util';
import { openBackend, parseBackendName } from './backend.js';
import { reportError, UsageError } from './errors.js';
import { readJsonFile } from './read-json.js';
import { formatSolveReport, solveCommand } from './commands/solve.js';
import { trainCommand } from './commands/train.js';
import { analyzeCommand } from './commands/analyze.js';
import { reproduceCommand } from './commands/reproduce.js';
import { demoCommand } from './commands/demo.js';

const HELP = `ohmlab: physical learning in linear resistor networks

Usage:
  ohmlab solve <circuit.json> [--json] [--backend cpu|webgpu]
  ohmlab train <experiment.json> [--json] [--out dir] [--backend cpu|webgpu]
  ohmlab analyze <circuit.json> [--rule ep|cl|al] [--json] [--backend cpu|webgpu]
  ohmlab reproduce [--out dir] [--quick] [--only id,id] [--backend cpu|webgpu]
  ohmlab demo [--backend cpu|webgpu]
  ohmlab help
`;

const OPTIONS = {
  json: { type: 'boolean' },
  backend: { type: 'string' },
  out: { type: 'string' },
  rule: { type: 'string' },
  quick: { type: 'boolean' },
  only: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\n\n${HELP}`);
  }
  const { values, positionals } = parsed;
  const [command, ...rest] = positionals;
  if (!command || command === 'help' || values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const backendName = parseBackendName(values.backend);
  const print = (text: string) => process.stdout.write(`${text}\n`);
  const json = (value: unknown) => print(JSON.stringify(value));
  switch (command) {
    case 'solve': {
      const circuit = readJsonFile(rest[0], 'circuit');
      const backend = await openBackend(backendName);
      try {
        const report = await solveCommand(backend, circuit);
        if (values.json) json(report);
        else print(formatSolveReport(report, backend.description));
      } finally {
        backend.dispose();
      }
      return 0;
    }
    case 'train':
      return trainCommand({ file: rest[0], json: values.json ?? false, out: values.out, backendName });
    case 'analyze':
      return analyzeCommand({ file: rest[0], json: values.json ?? false, rule: values.rule, backendName });
    case 'reproduce':
      return reproduceCommand({ out: values.out, quick: values.quick ?? false, only: values.only, backendName });
    case 'demo':
      return demoCommand(backendName);
    default:
      throw new UsageError(`unknown command "${command}"\n\n${HELP}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = reportError(err);
  },
);
