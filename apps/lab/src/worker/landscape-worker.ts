import { computeLandscape } from '../ohmlab/landscape.js';
import type { LandscapeReply, LandscapeRequest } from './landscape-protocol.js';

/** Computes one landscape (through @ohmlab/analysis) off the main thread. */
self.onmessage = (event: MessageEvent<LandscapeRequest>) => {
  const started = performance.now();
  computeLandscape(event.data)
    .then((result) => {
      const reply: LandscapeReply = { type: 'result', ...result, elapsedMs: performance.now() - started };
      self.postMessage(reply);
    })
    .catch((error: unknown) => {
      const reply: LandscapeReply = {
        type: 'error',
        message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
      };
      self.postMessage(reply);
    });
};
