import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import type { Actor } from '@pipeline/domain';
import { createIdentityTokenSigner, createMetrics, IDENTITY_HEADER, type Logger, metricsPlugin } from '@pipeline/server-kit';
import express, { type NextFunction, type Request, type Response } from 'express';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

import { type ArgumentLimitSettings, checkArgumentLimits, newRequestBudget, type RequestBudget } from './argument-limits';
import { AuthenticationError, createTokenVerifier } from './auth';
import type { GatewayConfig } from './config';
import { apolloReportingPlugins, mountReadiness } from './readiness';
import { type SubgraphFetcher, subgraphFetcher } from './subgraph-fetcher';
import { supergraphSource } from './supergraph-watch';
import { mountWebEdge } from './web-edge';

interface GatewayContext extends BaseContext {
  actor: Actor;
  identityToken: string;
  requestId: string;
  // An object, so the shallow copy of the context each operation of a batch gets still shares it.
  budget: RequestBudget;
}

export interface RunningGateway {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const graphQLError = (response: Response, status: number, code: string, message: string) =>
  response.status(status).json({ errors: [{ message, extensions: { code } }] });

// A subgraph that refuses a whole request (HTTP 4xx with GraphQL errors) is quoted, not reported as a gateway failure.
class SubgraphDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<GraphQLError> {
    const fallback = await super.errorFromResponse(response);
    const body = (fallback.extensions.response as { body?: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } } | undefined)?.body;
    const first = typeof body === 'object' ? body?.errors?.[0] : undefined;
    if (!first || response.status >= 500) return fallback;
    const { stacktrace: _stacktrace, ...extensions } = first.extensions ?? {};
    return new GraphQLError(first.message, { extensions: { ...extensions, code: extensions.code ?? 'BAD_REQUEST' } });
  }
}

const TIMED_OUT = /The (\S+) service did not answer within \d+ ms/;
const UNREACHABLE = /The (\S+) service is unreachable/;
const UNANSWERED = /The (\S+) service closed the connection before answering/;

// Clients see the subgraphs' own codes; connection failures say which service is down; nothing else leaks.
function formatError(logger: Logger, subgraphUrls: Record<string, string>) {
  const serviceOf = (message: string) => Object.entries(subgraphUrls).find(([, url]) => message.includes(new URL(url).host))?.[0];
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    const extensions = (formatted.extensions ?? {}) as Record<string, unknown>;
    const code = String(extensions.code ?? 'INTERNAL_SERVER_ERROR');
    const { stacktrace: _stacktrace, exception: _exception, ...rest } = extensions;
    const timedOut = TIMED_OUT.exec(formatted.message);
    if (timedOut) {
      return {
        message: `${timedOut[0]}; a change it was making may or may not have been saved: reload before retrying`,
        path: formatted.path,
        extensions: { code: 'TIMEOUT', serviceName: timedOut[1] },
      };
    }
    // The request may have been carried out (a mutation on a connection that closed before the answer): never claim it was not.
    const unanswered = UNANSWERED.exec(formatted.message);
    if (unanswered) {
      return {
        message: `The ${unanswered[1]} service closed the connection before answering; a change it was making may or may not have been saved: reload before retrying`,
        path: formatted.path,
        extensions: { code: 'OUTCOME_UNKNOWN', serviceName: unanswered[1] },
      };
    }
    if (/ECONNREFUSED|fetch failed|socket hang up|ECONNRESET|other side closed|service is unreachable/i.test(formatted.message)) {
      const service =
        typeof extensions.serviceName === 'string'
          ? extensions.serviceName
          : (UNREACHABLE.exec(formatted.message)?.[1] ?? serviceOf(formatted.message) ?? 'a subgraph');
      return {
        message: `The ${service} service is unavailable; fields it provides are missing`,
        path: formatted.path,
        extensions: { code: 'SUBGRAPH_UNAVAILABLE', serviceName: service },
      };
    }
    if (code === 'INTERNAL_SERVER_ERROR' && !extensions.serviceName) {
      logger.error({ error: formatted }, 'gateway error');
      return { message: 'Internal server error', path: formatted.path, extensions: { code } };
    }
    return { ...formatted, extensions: { ...rest, code } };
  };
}

// Arguments that size the work are checked at the edge, before any subgraph is called: page sizes per field and
// multiplied along nested lists, and forecast simulations summed over the whole HTTP request.
function argumentLimits(limits: ArgumentLimitSettings): ApolloServerPlugin<GatewayContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operation, contextValue }) {
          if (operation) checkArgumentLimits(schema, document, operation, request.variables, limits, contextValue.budget);
        },
      };
    },
  };
}

// The one endpoint frontends call: verifies tokens, enforces query limits, forwards a signed identity to subgraphs.
export async function startGateway(config: GatewayConfig, logger: Logger, port = config.port): Promise<RunningGateway> {
  const verify = createTokenVerifier(config.auth);
  const identityTokenFor = createIdentityTokenSigner(config.internalSecret);
  const metrics = createMetrics('gateway');
  const app = express();
  app.disable('x-powered-by');
  const httpServer = http.createServer(app);
  const webEdge = mountWebEdge(app, config, verify, logger);

  const fetchers: SubgraphFetcher[] = [];
  const gateway = new ApolloGateway({
    supergraphSdl: supergraphSource(config, logger),
    buildService: ({ name, url }) => {
      const fetcher = subgraphFetcher({ service: name, timeoutMs: config.limits.subgraphTimeoutMs });
      fetchers.push(fetcher);
      return new SubgraphDataSource({
        url: config.subgraphUrls[name] ?? url,
        fetcher: fetcher.fetch,
        willSendRequest({ request, context }) {
          if (context.identityToken) request.http?.headers.set(IDENTITY_HEADER, context.identityToken);
          if (context.requestId) request.http?.headers.set('x-request-id', context.requestId);
        },
      });
    },
  });

  const armor = new ApolloArmor({
    maxDepth: { n: config.limits.maxDepth },
    maxAliases: { n: config.limits.maxAliases },
    costLimit: { maxCost: config.limits.maxCost },
    maxTokens: { n: config.limits.maxTokens },
    maxDirectives: { n: config.limits.maxDirectives },
    blockFieldSuggestion: { enabled: config.production },
  });
  const protection = armor.protect();

  const apollo = new ApolloServer<GatewayContext>({
    gateway,
    introspection: !config.production,
    includeStacktraceInErrorResponses: false,
    allowBatchedHttpRequests: true,
    formatError: formatError(logger, config.subgraphUrls),
    validationRules: protection.validationRules,
    plugins: [
      ...protection.plugins,
      argumentLimits({ maxPageSize: 500, maxRows: config.limits.maxRows, maxSimulations: config.limits.maxSimulations }),
      ApolloServerPluginDrainHttpServer({ httpServer }),
      config.production ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false }),
      metricsPlugin(metrics),
      ...apolloReportingPlugins(),
    ],
  });
  await apollo.start();

  app.get('/health/live', (_request, response) => {
    response.json({ status: 'ok', service: 'gateway' });
  });
  mountReadiness(app, config.subgraphUrls, config.readiness);
  app.get('/metrics', async (_request, response) => {
    response.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const identify = async (request: Request, response: Response, next: NextFunction) => {
    try {
      const actor = await verify(request.headers.authorization);
      // A caller's request id is kept for tracing only if it is short and plain; it ends up in logs and subgraph requests.
      const header = request.headers['x-request-id'];
      const requestId = typeof header === 'string' && /^[\w.-]{1,64}$/.test(header) ? header : randomUUID();
      response.locals.context = {
        actor,
        requestId,
        identityToken: await identityTokenFor(actor),
        budget: newRequestBudget(),
      } satisfies GatewayContext;
      next();
    } catch (error) {
      if (error instanceof AuthenticationError) return void graphQLError(response, 401, 'UNAUTHENTICATED', error.message);
      next(error);
    }
  };

  // Outside production a browser may load the sandbox page itself without a token; every operation still needs one.
  const authenticate = (request: Request, response: Response, next: NextFunction) => {
    const sandboxPage = !config.production && request.method === 'GET' && request.query.query === undefined && /text\/html/.test(request.headers.accept ?? '');
    return sandboxPage ? next() : identify(request, response, next);
  };

  const limitBatch = (request: Request, response: Response, next: NextFunction) => {
    if (Array.isArray(request.body) && request.body.length > config.limits.maxBatch) {
      return void graphQLError(response, 400, 'BAD_REQUEST', `A batch may hold at most ${config.limits.maxBatch} operations`);
    }
    next();
  };

  const jsonBody = express.json({ limit: config.limits.maxBodyBytes });
  app.use(
    '/graphql',
    authenticate,
    (request, response, next) =>
      jsonBody(request, response, (error?: unknown) => {
        if (!error) return next();
        const status = (error as { status?: number }).status ?? 400;
        graphQLError(
          response,
          status,
          'BAD_REQUEST',
          status === 413 ? `Request body is larger than ${config.limits.maxBodyBytes} bytes` : 'Request body is not valid JSON',
        );
      }),
    limitBatch,
    webEdge.trustedDocuments,
    expressMiddleware(apollo, {
      // Fails closed: an operation that somehow skipped authentication has no identity to forward.
      context: async ({ res }) => {
        if (!res.locals.context)
          throw new GraphQLError('Send Authorization: Bearer <token>', { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
        return res.locals.context as GatewayContext;
      },
    }),
  );

  // CSV exports live in the analytics service; the gateway authenticates and forwards with the same signed identity.
  app.get('/exports/reports/:dimension.csv', identify, async (request, response) => {
    const context = response.locals.context as GatewayContext;
    const target = new URL(config.subgraphUrls.analytics);
    target.pathname = `/reports/${encodeURIComponent(String(request.params.dimension))}.csv`;
    target.search = new URLSearchParams(request.query as Record<string, string>).toString();
    try {
      const upstream = await fetch(target, {
        headers: { [IDENTITY_HEADER]: context.identityToken },
        signal: AbortSignal.timeout(config.limits.exportTimeoutMs),
      });
      response.status(upstream.status);
      for (const header of ['content-type', 'content-disposition']) {
        const value = upstream.headers.get(header);
        if (value) response.setHeader(header, value);
      }
      response.send(Buffer.from(await upstream.arrayBuffer()));
    } catch (error) {
      if ((error as Error).name === 'TimeoutError')
        return void graphQLError(response, 504, 'TIMEOUT', `The analytics service did not finish the export within ${config.limits.exportTimeoutMs} ms`);
      logger.warn({ err: (error as Error).message }, 'report export could not reach the analytics service');
      graphQLError(response, 503, 'SUBGRAPH_UNAVAILABLE', 'The analytics service is unavailable');
    }
  });

  webEdge.mountAfter(app);

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, '0.0.0.0', () => resolve());
  });
  const address = httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${address.port}/graphql`;
  logger.info({ url }, 'gateway listening');
  return {
    url,
    port: address.port,
    stop: async () => {
      await webEdge.close();
      await apollo.stop();
      for (const fetcher of fetchers) fetcher.close();
      httpServer.closeAllConnections?.();
    },
  };
}
