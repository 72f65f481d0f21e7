import type { BackendPreference } from '../core/backend-choice.js';
import type { CircuitChoice, Rule } from '../core/run-config.js';
import type { HeatmapField } from '../view/heatmap-view.js';

/** Which quantity the Landscape page maps over the slice. */
export type LandscapeQuantity = 'coercivity' | 'loss' | 'output';

export interface LandscapeRequest {
  readonly type: 'compute';
  readonly circuit: CircuitChoice;
  readonly rule: Rule;
  readonly quantity: LandscapeQuantity;
  /** Grid points along each axis. */
  readonly resolution: number;
  /** Half-width of the slice along u and v. */
  readonly span: number;
  readonly backend: BackendPreference;
}

export type LandscapeReply =
  | {
      readonly type: 'result';
      readonly field: HeatmapField;
      /** The quantity at the slice's origin (the kite's base point), null when it is not a grid point. */
      readonly atOrigin: number | null;
      readonly backendName: string;
      readonly fallbackReason: string;
      /** What the slice is (directions, base point), in words from @ohmlab/analysis. */
      readonly sliceDescription: string;
      readonly elapsedMs: number;
    }
  | { readonly type: 'notice'; readonly message: string }
  | { readonly type: 'error'; readonly message: string };
