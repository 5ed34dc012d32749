import fs from 'node:fs';
import path from 'node:path';

// What the deployment artefacts must agree on: the five services, their ports and the variables they need.
export interface AppFacts {
  app: string;
  port: number;
  // Subgraphs: the service name used for the database (<prefix>_<service>) and <SERVICE>_DATABASE_URL.
  service?: string;
}

export const GATEWAY: AppFacts = { app: 'gateway', port: 4000 };
export const SUBGRAPHS: AppFacts[] = [
  { app: 'lead-subgraph', port: 4001, service: 'lead' },
  { app: 'opportunity-subgraph', port: 4002, service: 'opportunity' },
  { app: 'deal-subgraph', port: 4003, service: 'deal' },
  { app: 'analytics-subgraph', port: 4004, service: 'analytics' },
];
export const APPS: AppFacts[] = [GATEWAY, ...SUBGRAPHS];

// The gateway's variable for each subgraph's URL, e.g. LEAD_SUBGRAPH_URL.
export const subgraphUrlVariable = (subgraph: AppFacts): string => `${(subgraph.service ?? subgraph.app).toUpperCase()}_SUBGRAPH_URL`;

// The repository root: the nearest folder above this file that holds nx.json.
export function repoRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'nx.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${start}`);
    dir = parent;
  }
}

export const fromRoot = (...segments: string[]): string => path.join(repoRoot(), ...segments);
