import { LabSession } from './lab-session.js';
import type { PageContext } from './page.js';

/**
 * The Lab: pick a circuit and a rule, train it live in a worker, watch the circuit and four
 * plots (loss on a log axis, the conserved quantity, conductance trajectories, coercivity).
 * `#lab-status` exposes the numbers as data attributes (`data-state`, `data-step`, `data-loss`,
 * `data-initial-loss`, `data-conserved`, `data-coercivity`, `data-backend`).
 */
export function mount(context: PageContext): () => void {
  const session = new LabSession(context);
  context.root.append(session.element);
  session.start();
  return () => session.dispose();
}
