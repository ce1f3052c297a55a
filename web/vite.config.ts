import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The console is served by the gatehouse binary itself (same origin as the API). For
// development, `npx vite` proxies the API to a server on GATEHOUSE_URL (default :8080).
const api = process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: {
    // No inline scripts or eval anywhere: the Content-Security-Policy allows 'self' only.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    sourcemap: false,
    chunkSizeWarningLimit: 1200,
  },
  server: {
    proxy: {
      '/api': api,
      '/auth': api,
      '/oauth': api,
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
  },
});
