import './styles.css';
import { adapterLabel, backendPreference, probeWebGpu, type AdapterReport } from './core/backend-choice.js';
import type { PageContext, PageModule } from './pages/page.js';

/**
 * Hash router of the lab: `#/lab`, `#/landscape`, `#/benchmark`. Each page module is loaded on
 * demand and receives the WebGPU probe result, so every page can show the CPU-only note.
 */
const pages: Record<string, () => Promise<PageModule>> = {
  lab: () => import('./pages/lab-page.js'),
  landscape: () => import('./pages/landscape-page.js'),
  benchmark: () => import('./pages/benchmark-page.js'),
};

let disposeCurrent: (() => void) | undefined;

function pageName(): string {
  const name = location.hash.replace(/^#\/?/, '').split('?')[0] ?? '';
  return name in pages ? name : 'lab';
}

function showBackend(report: AdapterReport): void {
  const badge = document.getElementById('backend-badge');
  const note = document.getElementById('backend-note');
  if (badge) {
    badge.textContent = report.available ? `WebGPU: ${adapterLabel(report)}` : 'CPU only';
    badge.dataset['backend'] = report.available ? 'webgpu' : 'cpu';
  }
  if (note) {
    note.hidden = report.available;
    note.textContent = report.available
      ? ''
      : `WebGPU is not available (${report.reason}). Every page runs on the CPU backend (float64).`;
  }
}

async function route(adapter: AdapterReport): Promise<void> {
  disposeCurrent?.();
  disposeCurrent = undefined;
  const name = pageName();
  for (const link of document.querySelectorAll<HTMLAnchorElement>('nav a')) {
    link.classList.toggle('active', link.dataset['page'] === name);
  }
  const root = document.getElementById('page');
  if (!root) throw new Error('index.html lacks <main id="page">');
  root.replaceChildren();
  root.dataset['page'] = name;
  const loader = pages[name];
  if (!loader) return;
  const module = await loader();
  const context: PageContext = { root, adapter, preference: backendPreference() };
  disposeCurrent = module.mount(context);
}

async function start(): Promise<void> {
  const adapter = await probeWebGpu(backendPreference());
  showBackend(adapter);
  window.addEventListener('hashchange', () => void route(adapter));
  await route(adapter);
}

void start();
