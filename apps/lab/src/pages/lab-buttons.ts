import { el } from '../core/dom.js';

/** What the Lab's buttons do. */
export interface LabActions {
  run(): void;
  pause(): void;
  step(): void;
  reset(): void;
  exportFile(what: 'json' | 'csv'): void;
}

/** The Lab's button row; `run` is the Run/Resume button, whose text follows the run's state. */
export interface LabButtons {
  readonly element: HTMLDivElement;
  readonly run: HTMLButtonElement;
}

function button(id: string, text: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', { id, type: 'button' }, text);
  b.addEventListener('click', onClick);
  return b;
}

/** Builds Run, Pause, Step, Reset, Export JSON and Export CSV, wired to `actions`. */
export function createLabButtons(actions: LabActions): LabButtons {
  const run = button('btn-run', 'Run', () => actions.run());
  const pause = button('btn-pause', 'Pause', () => actions.pause());
  const step = button('btn-step', 'Step', () => actions.step());
  const reset = button('btn-reset', 'Reset', () => actions.reset());
  const exportJson = button('btn-export-json', 'Export JSON', () => actions.exportFile('json'));
  exportJson.title = 'The run as an experiment file of `ohmlab train` (circuit, rule, settings, steps taken)';
  const exportCsv = button('btn-export-csv', 'Export CSV', () => actions.exportFile('csv'));
  exportCsv.title = 'The recorded history: step, losses, conserved quantity, conductances, coercivity';
  return { element: el('div', { class: 'buttons' }, run, pause, step, reset, exportJson, exportCsv), run };
}
