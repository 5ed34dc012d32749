/// <reference types="vitest/config" />
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const root = path.dirname(fileURLToPath(import.meta.url));
const manifest = path.join(root, 'src/graphql/generated/persisted-documents.json');
const gateway = process.env.GATEWAY_ORIGIN ?? 'http://127.0.0.1:4000';

// The build ships the trusted-document manifest beside the app, so the gateway that serves it knows its operations.
const trustedDocuments = (): Plugin => ({
  name: 'trusted-documents',
  apply: 'build',
  generateBundle() {
    this.emitFile({ type: 'asset', fileName: 'persisted-documents.json', source: fs.readFileSync(manifest, 'utf8') });
  },
});

export default defineConfig({
  root,
  plugins: [react(), trustedDocuments()],
  build: {
    outDir: path.join(root, '../../dist/apps/web'),
    emptyOutDir: true,
    sourcemap: true,
    target: 'es2022',
  },
  // `npx nx serve web`: the dev server forwards the gateway's paths, so the app stays same-origin as in production.
  server: {
    host: '127.0.0.1',
    port: 4200,
    proxy: Object.fromEntries(['/graphql', '/auth', '/live', '/exports', '/web-config.json'].map((prefix) => [prefix, { target: gateway, changeOrigin: false }])),
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.spec.{ts,tsx}'],
    setupFiles: [path.join(root, 'src/test-setup.ts')],
    pool: 'threads',
    maxWorkers: 2,
  },
});
