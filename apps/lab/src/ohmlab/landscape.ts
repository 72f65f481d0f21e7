import type { LandscapeReply, LandscapeRequest } from '../worker/landscape-protocol.js';
import { chooseBackend } from './backends.js';
import { buildCircuit } from './circuits.js';
import { api } from './packages.js';

type LandscapeResult = Omit<Extract<LandscapeReply, { type: 'result' }>, 'type' | 'elapsedMs'>;

/** The requested quantity over the slice, computed by @ohmlab/analysis. */
export async function computeLandscape(request: LandscapeRequest): Promise<LandscapeResult> {
  const circuit = buildCircuit(request.circuit);
  const { backend } = await chooseBackend(request.backend);
  void circuit;
  void backend;
  api('analysis', 'landscape');
  throw new Error('unreachable');
}
