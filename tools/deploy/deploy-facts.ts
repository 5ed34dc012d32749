import path from 'node:path';

import { GATEWAY as GATEWAY_SERVICE, SUBGRAPHS as SERVICES, workspaceRoot } from '@pipeline/dev-infra';

// What the deployment artefacts must agree on: the five services, their ports and the variables they need.
export interface AppFacts {
  app: string;
  port: number;
  // Subgraphs: the service name used for the database (<prefix>_<service>) and <SERVICE>_DATABASE_URL.
  service?: string;
}

// The same list `npm start` runs, so a new service cannot be deployed differently from how it runs locally.
export const GATEWAY: AppFacts = { app: GATEWAY_SERVICE.app, port: GATEWAY_SERVICE.port };
export const SUBGRAPHS: AppFacts[] = SERVICES.map(({ app, port, name }) => ({ app, port, service: name }));
export const APPS: AppFacts[] = [GATEWAY, ...SUBGRAPHS];

// The gateway's variable for each subgraph's URL, e.g. LEAD_SUBGRAPH_URL.
export const subgraphUrlVariable = (subgraph: AppFacts): string => `${(subgraph.service ?? subgraph.app).toUpperCase()}_SUBGRAPH_URL`;

export const fromRoot = (...segments: string[]): string => path.join(workspaceRoot(), ...segments);
