import { el, field, numberInput, select } from '../core/dom.js';
import {
  defaultRunConfig,
  type BoundaryRule,
  type CircuitKind,
  type NudgeMode,
  type Parametrisation,
  type Rule,
  type RunConfig,
} from '../core/run-config.js';

/** The Lab's settings form: circuit choice (with JSON file drop), rule and training settings. */
export interface LabControls {
  readonly element: HTMLElement;
  /** The settings currently in the form. */
  read(): RunConfig;
}

const circuitKinds: ReadonlyArray<readonly [CircuitKind, string]> = [
  ['divider', 'Voltage divider'],
  ['kite', 'Kite (paper 1, sec. 6)'],
  ['crossbar', 'Crossbar'],
  ['erdos-renyi', 'Erdős–Rényi'],
  ['grid', '2-D grid'],
  ['file', 'Dropped JSON file'],
];

/** Which size fields mean what for each circuit kind. */
const sizeLabels: Record<CircuitKind, readonly [string, string] | undefined> = {
  divider: undefined,
  kite: undefined,
  crossbar: ['inputs', 'outputs'],
  'erdos-renyi': ['nodes', 'mean degree'],
  grid: ['rows', 'columns'],
  file: undefined,
};

/** Sizes a circuit kind starts with when it is chosen. */
const defaultSizes: Record<CircuitKind, readonly [number, number]> = {
  divider: [1, 1],
  kite: [1, 1],
  crossbar: [3, 2],
  'erdos-renyi': [16, 4],
  grid: [4, 4],
  file: [1, 1],
};

/** Builds the form; `onChange` fires with the new settings after any edit or file drop. */
export function createLabControls(onChange: (config: RunConfig) => void, initial: RunConfig = defaultRunConfig): LabControls {
  const c = initial.circuit;
  const t = initial.train;
  const kind = select('circuit-kind', circuitKinds, c.kind);
  const size = numberInput('circuit-size', c.size, '1', 1);
  const size2 = numberInput('circuit-size2', c.size2, 'any', 0);
  const circuitSeed = numberInput('circuit-seed', c.seed, '1', 0);
  const target = numberInput('circuit-target', c.target ?? 0.6, 'any');
  const targetField = field('target y* (V)', target);
  const sizeField = field('nodes', size);
  const size2Field = field('mean degree', size2);
  let fileText: string | undefined;
  let fileName: string | undefined;
  const fileInput = el('input', { id: 'circuit-file', type: 'file', accept: '.json,application/json' });
  const dropZone = el('div', { id: 'drop-zone', class: 'drop-zone' }, 'Drop a circuit JSON file here, or ', fileInput);

  const rule = select('rule', [['ep', 'EP (equilibrium propagation)'], ['cl', 'CL (coupled learning)'], ['al', 'AL (adjoint learning)']], t.rule);
  const nudge = select('nudge', [['finite', 'one-sided finite nudge'], ['symmetric', 'symmetric clamping'], ['zero', 'zero-nudge limit']], t.nudge);
  const eta = numberInput('eta', t.eta);
  const alpha = numberInput('alpha', t.alpha);
  const parametrisation = select('parametrisation', [['conductance', 'conductances k'], ['resistance', 'resistances R = 1/k'], ['log', 'log-conductances θ = ln k']], t.parametrisation);
  const boundary = select('boundary', [['remove', 'remove edge at k = 0'], ['reflect', 'reflect'], ['clip', 'clip to a floor']], t.boundary);
  const maxSteps = numberInput('max-steps', t.maxSteps, '1', 1);
  const lossTolerance = numberInput('loss-tolerance', t.lossTolerance, 'any', 0);
  const recordEvery = numberInput('record-every', t.recordEvery, '1', 1);

  const read = (): RunConfig => {
    const circuitKind = kind.value as CircuitKind;
    return {
      circuit: {
        kind: circuitKind,
        size: Math.max(1, Math.round(Number(size.value))),
        size2: Number(size2.value),
        seed: Math.round(Number(circuitSeed.value)),
        ...(circuitKind === 'divider' || circuitKind === 'kite' ? { target: Number(target.value) } : {}),
        ...(fileText !== undefined ? { json: fileText } : {}),
        ...(fileName !== undefined ? { fileName } : {}),
      },
      train: {
        rule: rule.value as Rule,
        nudge: nudge.value as NudgeMode,
        eta: Number(eta.value),
        alpha: Number(alpha.value),
        parametrisation: parametrisation.value as Parametrisation,
        boundary: boundary.value as BoundaryRule,
        seed: t.seed,
        maxSteps: Math.max(1, Math.round(Number(maxSteps.value))),
        lossTolerance: Math.max(0, Number(lossTolerance.value)),
        recordEvery: Math.max(1, Math.round(Number(recordEvery.value))),
      },
    };
  };

  const updateSizeFields = (): void => {
    const labels = sizeLabels[kind.value as CircuitKind];
    sizeField.hidden = labels === undefined;
    size2Field.hidden = labels === undefined;
    circuitSeed.parentElement?.toggleAttribute('hidden', labels === undefined);
    targetField.hidden = kind.value !== 'divider' && kind.value !== 'kite';
    dropZone.classList.toggle('active', kind.value === 'file');
    if (labels) {
      sizeField.firstChild!.textContent = labels[0];
      size2Field.firstChild!.textContent = labels[1];
    }
  };

  const acceptFile = async (file: File): Promise<void> => {
    fileText = await file.text();
    fileName = file.name;
    dropZone.dataset['file'] = file.name;
    dropZone.firstChild!.textContent = `Loaded ${file.name}. Drop another file, or `;
    kind.value = 'file';
    updateSizeFields();
    onChange(read());
  };
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void acceptFile(file);
  });
  dropZone.addEventListener('dragover', (event) => {
    event.preventDefault();
    dropZone.classList.add('over');
  });
  dropZone.addEventListener('dragleave', () => dropZone.classList.remove('over'));
  dropZone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropZone.classList.remove('over');
    const file = event.dataTransfer?.files[0];
    if (file) void acceptFile(file);
  });

  const form = el(
    'form',
    { id: 'lab-controls', class: 'controls' },
    el('h3', {}, 'Circuit'),
    field('circuit', kind),
    sizeField,
    size2Field,
    field('seed', circuitSeed),
    targetField,
    dropZone,
    el('h3', {}, 'Learning rule'),
    field('rule', rule),
    field('nudge', nudge),
    field('η (nudge)', eta),
    field('α (learning rate)', alpha),
    field('parametrisation', parametrisation),
    field('at k = 0', boundary),
    field('max steps', maxSteps),
    field('stop at loss ≤', lossTolerance),
    field('record every', recordEvery),
  );
  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('change', (event) => {
    if (event.target === fileInput) return;
    if (event.target === kind) {
      const [first, second] = defaultSizes[kind.value as CircuitKind];
      size.value = String(first);
      size2.value = String(second);
      updateSizeFields();
    }
    if (kind.value === 'file' && fileText === undefined) return;
    onChange(read());
  });
  updateSizeFields();
  return { element: form, read };
}
