import { openTrainingSession, type TrainingSession } from '../ohmlab/training-session.js';
import type { RunConfig } from '../core/run-config.js';
import type { RunEvent, StepRecord, TrainReply, TrainRequest } from './train-protocol.js';

/**
 * The Lab's training worker: owns one training session (learners + a solver backend), runs steps
 * while `running`, and posts recorded points in batches at most every `postIntervalMs`, so the
 * page redraws at a steady rate however fast the steps are.
 */
const postIntervalMs = 80;

let session: TrainingSession | undefined;
let lastLoad: { config: RunConfig; backend: 'auto' | 'cpu' } | undefined;
let running = false;
let stopReason = '';
let generation = 0;
let pending: StepRecord[] = [];
let pendingEvents: RunEvent[] = [];
let lastPost = 0;

function post(message: TrainReply): void {
  self.postMessage(message);
}

function flush(): void {
  if (pending.length === 0 && pendingEvents.length === 0) return;
  post({ type: 'progress', records: pending, events: pendingEvents });
  pending = [];
  pendingEvents = [];
  lastPost = performance.now();
}

function setRunning(value: boolean, reason = ''): void {
  running = value;
  stopReason = reason;
  post({ type: 'state', running, stopReason });
}

async function load(config: RunConfig, backend: 'auto' | 'cpu'): Promise<void> {
  generation += 1;
  running = false;
  session?.dispose();
  session = undefined;
  lastLoad = { config, backend };
  const created = await openTrainingSession(config, backend);
  session = created;
  post({
    type: 'loaded',
    circuit: created.circuit,
    backendName: created.backendName,
    backendDescription: created.backendDescription,
    fallbackReason: created.fallbackReason,
    initial: created.record(),
  });
  setRunning(false, '');
}

/** Runs one step; returns the stop reason ('' to go on). */
async function stepOnce(active: TrainingSession): Promise<string> {
  const outcome = await active.step();
  pendingEvents.push(...outcome.events);
  const settings = lastLoad?.config.train;
  const every = Math.max(1, settings?.recordEvery ?? 1);
  if (active.stepCount % every === 0 || outcome.stopReason !== '') pending.push(active.record());
  return outcome.stopReason;
}

async function runLoop(): Promise<void> {
  const mine = generation;
  const active = session;
  if (!active) return;
  while (running && mine === generation) {
    const reason = await stepOnce(active);
    if (mine !== generation) return;
    if (reason !== '') {
      flush();
      setRunning(false, reason);
      return;
    }
    if (performance.now() - lastPost > postIntervalMs) {
      flush();
      // Yield so that pause/step messages are handled between batches.
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
  }
  flush();
}

async function handle(request: TrainRequest): Promise<void> {
  switch (request.type) {
    case 'load':
      await load(request.config, request.backend);
      return;
    case 'resume':
      if (!session || running) return;
      setRunning(true);
      await runLoop();
      return;
    case 'pause':
      if (running) {
        running = false;
        flush();
        setRunning(false, 'paused');
      }
      return;
    case 'step': {
      if (!session || running) return;
      for (let i = 0; i < request.count; i += 1) {
        const reason = await stepOnce(session);
        if (reason !== '') {
          flush();
          setRunning(false, reason);
          return;
        }
      }
      flush();
      return;
    }
    case 'reset':
      if (lastLoad) await load(lastLoad.config, lastLoad.backend);
      return;
  }
}

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  handle(event.data).catch((error: unknown) => {
    running = false;
    post({ type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  });
};
