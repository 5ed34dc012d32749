import { spawnSync } from 'node:child_process';
import path from 'node:path';

// CI fails when a committed generated file (resolver types, composed supergraph, event schemas) is stale.
const root = path.resolve(__dirname, '..', '..');
const checks = [
  ['tools/generate/codegen.ts', '--check'],
  ['tools/generate/supergraph.ts', '--check'],
  ['tools/generate/event-schemas.ts', '--check'],
];
let failed = false;
for (const [script, flag] of checks) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, script), flag], { cwd: root, stdio: 'inherit' });
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
