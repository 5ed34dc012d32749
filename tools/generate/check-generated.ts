import { spawnSync } from 'node:child_process';
import path from 'node:path';

// CI fails when a committed generated file (resolver types, composed supergraph, event schemas, migration lists, the web
// client's typed operations and trusted-document manifest) is stale.
const root = path.resolve(__dirname, '..', '..');
const checks = [
  ['tools/generate/codegen.ts', '--check'],
  ['tools/generate/supergraph.ts', '--check'],
  ['tools/generate/event-schemas.ts', '--check'],
  ['tools/generate/migrations-index.ts', '--check'],
  // Not generated, but checked here with the supergraph: no unannounced breaking change against the released one.
  ['tools/generate/schema-check.ts', '--check'],
];
let failed = false;
for (const [script, flag] of checks) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, script), flag], { cwd: root, stdio: 'inherit' });
  failed ||= result.status !== 0;
}
// The web client is generated from the composed supergraph: a schema change that breaks an operation fails here too.
const web = spawnSync(
  process.execPath,
  [path.join(root, 'node_modules', '@graphql-codegen', 'cli', 'cjs', 'bin.js'), '--config', 'apps/web/codegen.ts', '--check', '--silent'],
  { cwd: root, stdio: 'inherit' },
);
if (web.status !== 0) console.error('The web client\'s generated operations are stale; run "npx nx run web:codegen"');
failed ||= web.status !== 0;
process.exit(failed ? 1 : 0);
