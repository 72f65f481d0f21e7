import type { AdapterReport, BackendPreference } from '../core/backend-choice.js';

/** What the router hands a page. */
export interface PageContext {
  readonly root: HTMLElement;
  readonly adapter: AdapterReport;
  readonly preference: BackendPreference;
}

/** A page: `mount` builds the DOM under `root` and returns a disposer. */
export interface PageModule {
  mount(context: PageContext): () => void;
}
