import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseCircuit } from '@ohmlab/graph';
import { historyToCsv, parseExperimentConfig, runExperiment } from '@ohmlab/learners';
import { openBackend, type BackendName } from '../backend.js';
import { fmt } from '../format.js';
import { progressBar } from '../progress.js';
import { readJsonFile } from '../read-json.js';

export interface TrainArgs {
  file: string | undefined;
  json: boolean;
  out: string | undefined;
  backendName: BackendName;
}

/** `ohmlab train`: reads an experiment file (circuit inline or a path relative to the file) and trains. */
export async function trainCommand(args: TrainArgs): Promise<number> {
  const raw = readJsonFile(args.file, 'experiment');
  let config = parseExperimentConfig(raw, { parseCircuit });
  if (typeof config.circuit === 'string') {
    const circuitPath = resolve(dirname(args.file!), config.circuit);
    config = { ...config, circuit: parseCircuit(readJsonFile(circuitPath, 'circuit')) };
  }
  const backend = await openBackend(args.backendName);
  const bar = progressBar(`train ${config.rule.toUpperCase()} (${config.nudge}, ${config.time})`);
  try {
    const result = await runExperiment(config, {
      backend,
      onProgress: (p) => bar.update(p.fraction, 1, `loss ${fmt(p.loss)}`),
    });
    bar.finish(`${result.stop.reason}: ${result.stop.message}`);
    if (args.out) {
      mkdirSync(args.out, { recursive: true });
      writeFileSync(join(args.out, 'history.csv'), historyToCsv(result.history));
      writeFileSync(join(args.out, 'result.json'), `${JSON.stringify(result)}\n`);
      process.stderr.write(`wrote ${join(args.out, 'history.csv')} and ${join(args.out, 'result.json')}\n`);
    }
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result)}\n`);
    } else {
      const h = result.history;
      const first = h.loss[0];
      const lines = [
        `rule ${config.rule}, nudge ${config.nudge}, ${config.time} time, backend ${backend.description}`,
        `  loss        ${first === undefined ? '-' : fmt(first)} -> ${result.final.loss === null ? 'n/a' : fmt(result.final.loss)}`,
        `  mass        ${fmt(h.mass[0] ?? NaN)} -> ${fmt(h.mass[h.mass.length - 1] ?? NaN)}   (conserved quantity of the parametrisation)`,
        `  records     ${h.loss.length}`,
        `  events      ${result.events.length}${result.removedEdges.length ? `, removed edges ${result.removedEdges.join(', ')}` : ''}`,
        `  stopped     ${result.stop.reason}: ${result.stop.message}`,
        ...(result.path ? [`  path        ${result.path.summary}`] : []),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return 0;
  } finally {
    backend.dispose();
  }
}
