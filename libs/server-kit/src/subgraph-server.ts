import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import { expressMiddleware } from '@as-integrations/express5';
import type { Actor } from '@pipeline/domain';
import express, { type Express, type Request } from 'express';
import { type DocumentNode, GraphQLError } from 'graphql';
import type { Logger } from 'pino';

import { createErrorFormatter } from './errors';
import { createIdentityTokenVerifier, IDENTITY_HEADER } from './identity-token';
import { createMetrics, metricsPlugin, type ServiceMetrics } from './metrics';

export type ReadinessCheck = () => Promise<Record<string, boolean>>;

export interface SubgraphServerOptions<TContext extends BaseContext> {
  serviceName: string;
  typeDefs: DocumentNode;
  // Generated resolver types are stricter than Apollo's map; they meet here.
  resolvers: unknown;
  internalSecret: string;
  createContext: (actor: Actor, request: Request) => TContext | Promise<TContext>;
  readiness: ReadinessCheck;
  healthDetails?: () => Promise<Record<string, unknown>>;
  logger: Logger;
  production?: boolean;
  // Extra HTTP endpoints (exports, imports); they get the same identity check as GraphQL.
  routes?: (app: Express, authenticate: (request: Request) => Promise<Actor>) => void;
  plugins?: ApolloServerPlugin<TContext>[];
  bodyLimit?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  // Stop keeping connections alive (every answer from now on says `Connection: close`), ahead of stop.
  drain(): void;
  stop(): Promise<void>;
}

export interface SubgraphServer {
  app: Express;
  metrics: ServiceMetrics;
  listen(port: number, host?: string): Promise<RunningServer>;
}

const noStorePlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ response }) {
        response.http.headers.set('cache-control', 'no-store');
      },
    };
  },
};

const unauthenticated = (message: string) => new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

// A subgraph answers only requests that carry the gateway's signed identity; health and metrics are open for probes.
export function createSubgraphServer<TContext extends BaseContext>(options: SubgraphServerOptions<TContext>): SubgraphServer {
  const { serviceName, internalSecret, logger, production = false } = options;
  const app = express();
  app.disable('x-powered-by');
  const metrics = createMetrics(serviceName);
  const httpServer = http.createServer(app);
  let draining = false;
  app.use((request, response, next) => {
    // A request read from a connection whose answering side is already closed could never be answered: refuse it unread.
    if (request.socket.writableEnded) return void request.socket.destroy();
    // While draining, each answer closes its connection, so the gateway never sends another request down a socket being closed.
    if (draining) response.setHeader('connection', 'close');
    next();
  });

  const verifyIdentity = createIdentityTokenVerifier(internalSecret);
  const authenticate = async (request: Request): Promise<Actor> => {
    const token = request.headers[IDENTITY_HEADER];
    if (typeof token !== 'string' || token.length === 0) throw unauthenticated(`${serviceName} accepts requests only through the gateway`);
    try {
      return await verifyIdentity(token);
    } catch {
      throw unauthenticated('The identity forwarded by the gateway is not valid');
    }
  };

  const apollo = new ApolloServer<TContext>({
    schema: buildSubgraphSchema({ typeDefs: options.typeDefs, resolvers: options.resolvers as GraphQLResolverMap<unknown> }),
    formatError: createErrorFormatter(logger),
    introspection: !production,
    includeStacktraceInErrorResponses: false,
    // The process's own SIGTERM handler stops it, after draining readiness; Apollo's would close the server at once.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      // No type or field carries a cache hint, yet the cache-control plugin wraps every field's resolver to look for
      // one; the answer is the same `no-store` it would have computed.
      ApolloServerPluginCacheControlDisabled(),
      noStorePlugin as ApolloServerPlugin<TContext>,
      metricsPlugin(metrics) as ApolloServerPlugin<TContext>,
      ...(options.plugins ?? []),
    ],
  });

  app.get('/health/live', (_request, response) => {
    response.json({ status: 'ok', service: serviceName });
  });
  app.get('/health/ready', async (_request, response) => {
    const checks = await options.readiness().catch(() => ({ readiness: false }));
    const ready = Object.values(checks).every(Boolean);
    const details = await options.healthDetails?.().catch(() => undefined);
    response.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready', service: serviceName, checks, ...(details ? { details } : {}) });
  });
  app.get('/metrics', async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  options.routes?.(app, authenticate);

  let started = false;
  return {
    app,
    metrics,
    async listen(port: number, host = '0.0.0.0'): Promise<RunningServer> {
      if (!started) {
        await apollo.start();
        app.use(
          '/graphql',
          express.json({ limit: options.bodyLimit ?? '16mb' }),
          expressMiddleware(apollo, {
            context: async ({ req }) => options.createContext(await authenticate(req), req),
          }),
        );
        started = true;
      }
      await new Promise<void>((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => resolve());
      });
      const address = httpServer.address() as AddressInfo;
      const url = `http://127.0.0.1:${address.port}/graphql`;
      logger.info({ url }, `${serviceName} listening`);
      return {
        url,
        port: address.port,
        drain: () => {
          draining = true;
        },
        stop: async () => {
          draining = true;
          await apollo.stop();
          httpServer.closeAllConnections?.();
        },
      };
    },
  };
}
