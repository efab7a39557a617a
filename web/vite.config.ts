/**
 * The dashboard's build: web/ into dist/web, which the API server serves at `/`. `npm run dev:web`
 * serves it with hot reload against a server on 127.0.0.1:8825 (`npm start` in another terminal).
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const API = 'http://127.0.0.1:8825';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The server's CSP allows scripts from itself only: no inline module preload polyfill.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 300,
  },
  server: {
    proxy: Object.fromEntries(['/api', '/oauth', '/openapi.json'].map((path) => [path, API])),
  },
});
