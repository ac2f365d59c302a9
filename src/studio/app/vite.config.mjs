// The studio page: built once at install time (`npm run build:studio`) into dist/studio-app and
// served from there by `kiln ui` / `kiln watch`. The Basis transcoder is copied from three's own
// package (publicDir), so the page never loads anything from a CDN.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  root: here('./'),
  base: '/app/',
  publicDir: here('../../../node_modules/three/examples/jsm/libs/basis'),
  logLevel: 'warn',
  build: {
    outDir: here('../../../dist/studio-app'),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
  },
});
