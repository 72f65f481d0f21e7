import { defineConfig } from 'vite';

/**
 * The lab is a static site: `vite build` writes dist/, relative asset paths so it can be served
 * from any folder. Workers are ES modules (they import the @ohmlab packages).
 */
export default defineConfig({
  base: './',
  worker: { format: 'es' },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
});
