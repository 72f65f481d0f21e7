import type { BackendPreference } from '../core/backend-choice.js';
import type { RunConfig } from '../core/run-config.js';
import { TrainingSession } from '../ohmlab/training-session.js';
import type { RunEvent, StepRecord, TrainReply, TrainRequest } from './train-protocol.js';

/**
 * The Lab's training worker: owns one {@link TrainingSession}, runs chunks of steps while running
 * and posts the recorded points after each chunk. Chunks grow or shrink so that one takes about
 * `chunkTargetMs`, which keeps Pause responsive and the plots moving at any circuit size.
 * Requests that touch the session run one after another (a queue); Pause acts at once.
 */
const chunkTargetMs = 120;
const maxChunk = 512;

let session: TrainingSession | undefined;
let lastLoad: { config: RunConfig; backend: BackendPreference } | undefined;
let running = false;
let chunk = 1;
let queue: Promise<void> = Promise.resolve();

function post(message: TrainReply): void {
  self.postMessage(message);
}

function postError(error: unknown): void {
  running = false;
  post({ type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
}

function enqueue(task: () => Promise<void>): void {
  queue = queue.then(task).catch(postError);
}

async function load(config: RunConfig, backend: BackendPreference): Promise<void> {
  session?.dispose();
  session = undefined;
  lastLoad = { config, backend };
  chunk = 1;
  const opened = await TrainingSession.open(config, backend, (message) => post({ type: 'notice', message }));
  session = opened;
  post({
    type: 'loaded',
    circuit: opened.summary,
    backendName: opened.backend.name,
    backendDescription: opened.backend.description,
    fallbackReason: opened.fallbackReason,
    initial: opened.latest(),
  });
  // A Run pressed while this was loading (its request is queued behind this one) keeps running.
  post({ type: 'state', running, stopReason: opened.stopReason });
}

/** Runs one chunk of `count` steps and posts what it recorded; returns the stop reason. */
async function advance(active: TrainingSession, count: number): Promise<string> {
  const progress = await active.advance(count);
  if (progress.records.length > 0 || progress.events.length > 0) {
    post({ type: 'progress', records: progress.records as StepRecord[], events: progress.events as RunEvent[] });
  }
  return progress.stopReason;
}

async function runLoop(): Promise<void> {
  const active = session;
  if (!active) return;
  let reason = active.stopReason;
  while (running && reason === '' && active === session) {
    const started = performance.now();
    reason = await advance(active, chunk);
    const elapsed = performance.now() - started;
    if (elapsed < chunkTargetMs / 2) chunk = Math.min(maxChunk, chunk * 2);
    else if (elapsed > 2 * chunkTargetMs) chunk = Math.max(1, Math.floor(chunk / 2));
    // Let Pause (and other requests) arrive between chunks.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  if (active !== session) return;
  running = false;
  post({ type: 'state', running: false, stopReason: reason !== '' ? reason : 'paused' });
}

async function step(count: number): Promise<void> {
  const active = session;
  if (!active) return;
  const reason = await advance(active, count);
  post({ type: 'state', running: false, stopReason: reason });
}

async function exportRun(): Promise<void> {
  if (!session) throw new Error('Nothing to export yet: the run is still loading');
  post({ type: 'export', ...session.exportRun() });
}

self.onmessage = (event: MessageEvent<TrainRequest>) => {
  const request = event.data;
  switch (request.type) {
    case 'load':
      running = false;
      enqueue(() => load(request.config, request.backend));
      return;
    case 'reset':
      running = false;
      if (lastLoad) {
        const { config, backend } = lastLoad;
        enqueue(() => load(config, backend));
      }
      return;
    case 'resume':
      if (running) return;
      running = true;
      post({ type: 'state', running: true, stopReason: '' });
      enqueue(runLoop);
      return;
    case 'pause':
      running = false;
      return;
    case 'step':
      enqueue(() => step(request.count));
      return;
    case 'export':
      enqueue(exportRun);
      return;
  }
};
