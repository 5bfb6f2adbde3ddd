import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The API server (node bin/rasd.mjs start) serves web/dist; `vite --config web/vite.config.ts`
// runs a dev server that proxies /api to it (RASD_API, default http://localhost:3100).
export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // CSP forbids inline scripts: keep every module a file.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: { '/api': process.env.RASD_API ?? 'http://localhost:3100' },
  },
});
