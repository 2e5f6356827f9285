/**
 * The web console's build: `portal/` (Preact and uPlot) bundled into `dist/portal`, which
 * `functions/portal.ts` serves under `/api/portal/`. `vite --config portal/vite.config.ts` serves it
 * for development, passing the API calls to the app on `npm start`'s port.
 */
import { fileURLToPath } from 'node:url';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

const appPort = process.env.PORT ?? '7071';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/api/portal/',
  plugins: [preact()],
  build: {
    outDir: fileURLToPath(new URL('../dist/portal', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api/subscriptions': `http://127.0.0.1:${appPort}` },
  },
});
