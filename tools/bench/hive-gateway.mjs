// Hive Gateway as the peer of our gateway in peers.bench.ts: the same supergraph, served by node:http, with the JS or
// the Rust query planner (HIVE_PLANNER=js|rust). Deduplication is off both ways so that every request reaches the
// subgraphs, as ours does; the signed identity header the bench sends is passed on to the subgraphs unchanged.
import fs from 'node:fs';
import http from 'node:http';

import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';

const planner = process.env.HIVE_PLANNER ?? 'js';
const port = Number(process.env.PORT);
const supergraph = fs.readFileSync(process.env.SUPERGRAPH_PATH, 'utf8');
const unifiedGraphHandler = planner === 'rust' ? (await import('@graphql-hive/router-runtime')).unifiedGraphHandler : undefined;

const gateway = createGatewayRuntime({
  supergraph,
  ...(unifiedGraphHandler ? { unifiedGraphHandler } : {}),
  inboundInflightRequestDeduplication: false,
  transportEntries: { '*': { options: { deduplicateInflightRequests: false } } },
  propagateHeaders: { fromClientToSubgraphs: ({ request }) => ({ 'x-pipeline-identity': request.headers.get('x-pipeline-identity') ?? '' }) },
  logging: 'error',
  graphiql: false,
  landingPage: false,
});

const server = http.createServer(gateway).listen(port, '127.0.0.1', () => console.log(`hive gateway (${planner} planner) on ${port}`));
// The runtime's own signal handlers dispose it but leave the process running: the bench's SIGTERM must end it.
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}
