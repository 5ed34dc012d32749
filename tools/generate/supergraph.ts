import fs from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

// Composes the subgraphs' SDL at build time (no runtime introspection); the gateway loads the committed result.
export const SUBGRAPHS = [
  { name: 'lead', app: 'lead-subgraph', url: 'http://127.0.0.1:4001/graphql' },
  { name: 'opportunity', app: 'opportunity-subgraph', url: 'http://127.0.0.1:4002/graphql' },
  { name: 'deal', app: 'deal-subgraph', url: 'http://127.0.0.1:4003/graphql' },
  { name: 'analytics', app: 'analytics-subgraph', url: 'http://127.0.0.1:4004/graphql' },
];

// The gateway loads the first; Kubernetes mounts the second as a ConfigMap (kustomize reads only inside k8s/).
export const SUPERGRAPH_FILES = [
  ['apps', 'gateway', 'supergraph.graphql'],
  ['k8s', 'base', 'gateway', 'supergraph.graphql'],
];

const HEADER = '# Composed by tools/generate/supergraph.ts from apps/*-subgraph/src/schema; do not edit. Regenerate: npx nx run gateway:compose\n';

export function composeSupergraph(root: string): string {
  const services = SUBGRAPHS.map((subgraph) => {
    const directory = path.join(root, 'apps', subgraph.app, 'src', 'schema');
    const sdl = fs
      .readdirSync(directory)
      .filter((file) => file.endsWith('.graphql'))
      .sort()
      .map((file) => fs.readFileSync(path.join(directory, file), 'utf8'))
      .join('\n');
    return { name: subgraph.name, url: subgraph.url, typeDefs: parse(sdl) };
  });
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
