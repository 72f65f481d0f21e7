import { computeLandscape } from '../ohmlab/landscape.js';
import type { LandscapeReply, LandscapeRequest } from './landscape-protocol.js';

/** Computes one landscape (through @ohmlab/analysis) off the main thread. */
self.onmessage = (event: MessageEvent<LandscapeRequest>) => {
  const started = performance.now();
  const post = (reply: LandscapeReply): void => self.postMessage(reply);
  computeLandscape(event.data, (message) => post({ type: 'notice', message }))
    .then((result) => post({ type: 'result', ...result, elapsedMs: performance.now() - started }))
    .catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }));
};
