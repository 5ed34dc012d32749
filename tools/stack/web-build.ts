import { spawn } from 'node:child_process';
import path from 'node:path';

import { workspaceRoot } from '@pipeline/dev-infra';

// Where `nx run web:build` puts the production bundle the gateway serves.
export const WEB_DIST_DIR = path.join(workspaceRoot(), 'dist', 'apps', 'web');

// Builds the web app through Nx, so an unchanged app is restored from the cache in a second or two.
export function buildWebApp(log: (message: string) => void): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['nx', 'run', 'web:build', '--outputStyle=static'], { cwd: workspaceRoot(), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) {
        log(`web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        resolve();
      } else reject(new Error(`web build failed (exit ${code}):\n${output.slice(-4000)}`));
    });
  });
}
