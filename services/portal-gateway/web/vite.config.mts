import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// The citizen's page: plain TypeScript, built into dist/web and served by the
// gateway under a strict Content-Security-Policy — so no inline scripts or
// styles: Vite emits the entry as /assets/*.js and the CSS as a file.
export default defineConfig({
  root: here,
  base: '/',
  publicDir: 'public',
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    cssCodeSplit: false,
    sourcemap: true,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/dev-issuer': 'http://127.0.0.1:8080' } },
});
