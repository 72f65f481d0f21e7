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

/** The circuit half of the form: kind, sizes, seed, target and the JSON file drop zone. */
interface CircuitInputs {
  readonly kind: HTMLSelectElement;
  readonly size: HTMLInputElement;
  readonly size2: HTMLInputElement;
  readonly seed: HTMLInputElement;
  readonly target: HTMLInputElement;
  readonly sizeField: HTMLLabelElement;
  readonly size2Field: HTMLLabelElement;
  readonly targetField: HTMLLabelElement;
  readonly fileInput: HTMLInputElement;
  readonly dropZone: HTMLDivElement;
}

/** The learning-rule half of the form. */
interface TrainInputs {
  readonly rule: HTMLSelectElement;
  readonly nudge: HTMLSelectElement;
  readonly eta: HTMLInputElement;
  readonly alpha: HTMLInputElement;
  readonly parametrisation: HTMLSelectElement;
  readonly boundary: HTMLSelectElement;
  readonly maxSteps: HTMLInputElement;
  readonly lossTolerance: HTMLInputElement;
  readonly recordEvery: HTMLInputElement;
}

/** The circuit JSON file the user dropped or picked (none yet: both undefined). */
interface DroppedFile {
  text?: string;
  name?: string;
}

/** Builds the form; `onChange` fires with the new settings after any edit or file drop. */
export function createLabControls(onChange: (config: RunConfig) => void, initial: RunConfig = defaultRunConfig): LabControls {
  const circuit = createCircuitInputs(initial.circuit);
  const train = createTrainInputs(initial.train);
  const file: DroppedFile = {};
  const read = (): RunConfig => ({ circuit: readCircuit(circuit, file), train: readTrain(train, initial.train.seed) });
  wireFileDrop(circuit, async (dropped) => {
    file.text = await dropped.text();
    file.name = dropped.name;
    circuit.dropZone.dataset['file'] = dropped.name;
    circuit.dropZone.firstChild!.textContent = `Loaded ${dropped.name}. Drop another file, or `;
    circuit.kind.value = 'file';
    updateSizeFields(circuit);
    onChange(read());
  });
  const form = buildForm(circuit, train);
  form.addEventListener('submit', (event) => event.preventDefault());
  form.addEventListener('change', (event) => {
    if (event.target === circuit.fileInput) return;
    if (event.target === circuit.kind) {
      const [first, second] = defaultSizes[circuit.kind.value as CircuitKind];
      circuit.size.value = String(first);
      circuit.size2.value = String(second);
      updateSizeFields(circuit);
    }
    if (circuit.kind.value === 'file' && file.text === undefined) return;
    onChange(read());
  });
  updateSizeFields(circuit);
  return { element: form, read };
}

function createCircuitInputs(c: RunConfig['circuit']): CircuitInputs {
  const size = numberInput('circuit-size', c.size, '1', 1);
  const size2 = numberInput('circuit-size2', c.size2, 'any', 0);
  const target = numberInput('circuit-target', c.target ?? 0.6, 'any');
  const fileInput = el('input', { id: 'circuit-file', type: 'file', accept: '.json,application/json' });
  return {
    kind: select('circuit-kind', circuitKinds, c.kind),
    size,
    size2,
    seed: numberInput('circuit-seed', c.seed, '1', 0),
    target,
    sizeField: field('nodes', size),
    size2Field: field('mean degree', size2),
    targetField: field('target y* (V)', target),
    fileInput,
    dropZone: el('div', { id: 'drop-zone', class: 'drop-zone' }, 'Drop a circuit JSON file here, or ', fileInput),
  };
}

function createTrainInputs(t: RunConfig['train']): TrainInputs {
  return {
    rule: select('rule', [['ep', 'EP (equilibrium propagation)'], ['cl', 'CL (coupled learning)'], ['al', 'AL (adjoint learning)']], t.rule),
    nudge: select('nudge', [['finite', 'one-sided finite nudge'], ['symmetric', 'symmetric clamping'], ['zero', 'zero-nudge limit']], t.nudge),
    eta: numberInput('eta', t.eta),
    alpha: numberInput('alpha', t.alpha),
    parametrisation: select('parametrisation', [['conductance', 'conductances k'], ['resistance', 'resistances R = 1/k'], ['log', 'log-conductances θ = ln k']], t.parametrisation),
    boundary: select('boundary', [['remove', 'remove edge at k = 0'], ['reflect', 'reflect'], ['clip', 'clip to a floor']], t.boundary),
    maxSteps: numberInput('max-steps', t.maxSteps, '1', 1),
    lossTolerance: numberInput('loss-tolerance', t.lossTolerance, 'any', 0),
    recordEvery: numberInput('record-every', t.recordEvery, '1', 1),
  };
}

/** The circuit settings in the form (sizes rounded; the target only for the divider and kite). */
function readCircuit(inputs: CircuitInputs, file: DroppedFile): RunConfig['circuit'] {
  const circuitKind = inputs.kind.value as CircuitKind;
  return {
    kind: circuitKind,
    size: Math.max(1, Math.round(Number(inputs.size.value))),
    size2: Number(inputs.size2.value),
    seed: Math.round(Number(inputs.seed.value)),
    ...(circuitKind === 'divider' || circuitKind === 'kite' ? { target: Number(inputs.target.value) } : {}),
    ...(file.text !== undefined ? { json: file.text } : {}),
    ...(file.name !== undefined ? { fileName: file.name } : {}),
  };
}

/** The training settings in the form (counts rounded and at least 1); `seed` is kept from the start. */
function readTrain(inputs: TrainInputs, seed: number): RunConfig['train'] {
  return {
    rule: inputs.rule.value as Rule,
    nudge: inputs.nudge.value as NudgeMode,
    eta: Number(inputs.eta.value),
    alpha: Number(inputs.alpha.value),
    parametrisation: inputs.parametrisation.value as Parametrisation,
    boundary: inputs.boundary.value as BoundaryRule,
    seed,
    maxSteps: Math.max(1, Math.round(Number(inputs.maxSteps.value))),
    lossTolerance: Math.max(0, Number(inputs.lossTolerance.value)),
    recordEvery: Math.max(1, Math.round(Number(inputs.recordEvery.value))),
  };
}

/** Shows the size, seed, target fields and drop zone that the chosen circuit kind uses, with its labels. */
function updateSizeFields(inputs: CircuitInputs): void {
  const kind = inputs.kind.value as CircuitKind;
  const labels = sizeLabels[kind];
  inputs.sizeField.hidden = labels === undefined;
  inputs.size2Field.hidden = labels === undefined;
  inputs.seed.parentElement?.toggleAttribute('hidden', labels === undefined);
  inputs.targetField.hidden = kind !== 'divider' && kind !== 'kite';
  inputs.dropZone.classList.toggle('active', kind === 'file');
  if (labels) {
    inputs.sizeField.firstChild!.textContent = labels[0];
    inputs.size2Field.firstChild!.textContent = labels[1];
  }
}

/** Calls `accept` with a file picked in the file input or dropped on the drop zone. */
function wireFileDrop(inputs: CircuitInputs, accept: (file: File) => Promise<void>): void {
  const { fileInput, dropZone } = inputs;
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (file) void accept(file);
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
    if (file) void accept(file);
  });
}

function buildForm(circuit: CircuitInputs, train: TrainInputs): HTMLFormElement {
  return el(
    'form',
    { id: 'lab-controls', class: 'controls' },
    el('h3', {}, 'Circuit'),
    field('circuit', circuit.kind),
    circuit.sizeField,
    circuit.size2Field,
    field('seed', circuit.seed),
    circuit.targetField,
    circuit.dropZone,
    el('h3', {}, 'Learning rule'),
    field('rule', train.rule),
    field('nudge', train.nudge),
    field('η (nudge)', train.eta),
    field('α (learning rate)', train.alpha),
    field('parametrisation', train.parametrisation),
    field('at k = 0', train.boundary),
    field('max steps', train.maxSteps),
    field('stop at loss ≤', train.lossTolerance),
    field('record every', train.recordEvery),
  );
}
