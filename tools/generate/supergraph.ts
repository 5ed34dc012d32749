import fs from 'node:fs';
import path from 'node:path';

import { composeServices } from '@apollo/composition';
import { SUBGRAPHS as SERVICES } from '@pipeline/dev-infra';
import { loadSchemaFiles } from '@pipeline/server-kit';

// Composes the subgraphs' SDL at build time (no runtime introspection); the gateway loads the committed result.
export const SUBGRAPHS = SERVICES.map(({ name, app, port }) => ({ name, app, url: `http://127.0.0.1:${port}/graphql` }));

// The gateway loads the first; Kubernetes mounts the second as a ConfigMap (kustomize reads only inside k8s/).
export const SUPERGRAPH_FILES = [
  ['apps', 'gateway', 'supergraph.graphql'],
  ['k8s', 'base', 'gateway', 'supergraph.graphql'],
];

const HEADER = '# Composed by tools/generate/supergraph.ts from apps/*-subgraph/src/schema; do not edit. Regenerate: npx nx run gateway:compose\n';

export function composeSupergraph(root: string): string {
  const services = SUBGRAPHS.map((subgraph) => ({
    name: subgraph.name,
    url: subgraph.url,
    typeDefs: loadSchemaFiles(path.join(root, 'apps', subgraph.app, 'src', 'schema')),
  }));
  const result = composeServices(services);
  if (result.errors) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((error) => `  - ${error.message}`).join('\n')}`);
  }
  return `${HEADER}${result.supergraphSdl}`;
}

function main(): void {
  const root = path.resolve(__dirname, '..', '..');
  const targets = SUPERGRAPH_FILES.map((parts) => path.join(root, ...parts));
  const composed = composeSupergraph(root);
  if (process.argv.includes('--check')) {
    const stale = targets.filter((target) => !fs.existsSync(target) || fs.readFileSync(target, 'utf8') !== composed);
    if (stale.length > 0) {
      console.error(`${stale.map((target) => path.relative(root, target)).join(', ')} stale; run "npx nx run gateway:compose"`);
      process.exit(1);
    }
    console.log('supergraph is up to date');
    return;
  }
  for (const target of targets) {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, composed);
    console.log(`wrote ${path.relative(root, target)}`);
  }
}

if (require.main === module) {
  try {
    main();
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
