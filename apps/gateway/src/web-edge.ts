import type { Actor } from '@pipeline/domain';
import type { Logger } from '@pipeline/server-kit';
import cors from 'cors';
import type { Express, RequestHandler } from 'express';

import type { GatewayConfig } from './config';
import { devSignIn } from './dev-sign-in';
import { type LiveUpdates, liveUpdates } from './live-updates';
import { trustedDocuments } from './trusted-documents';
import { webApp } from './web-app';
import { webEdgeConfigFromEnv } from './web-edge-config';

export interface WebEdge {
  // Goes in the /graphql chain after the body is parsed: resolves document ids, refuses unknown operations.
  trustedDocuments: RequestHandler;
  live: LiveUpdates;
  // Mounts the routes that must come after the gateway's own (the single-page app answers every other HTML request).
  mountAfter(app: Express): void;
  close(): Promise<void>;
}

// Everything a browser needs besides the graph: CORS for other origins, developer sign-in, live updates, the web app.
export function mountWebEdge(app: Express, config: GatewayConfig, verify: (authorization: string | undefined) => Promise<Actor>, logger: Logger): WebEdge {
  const web = config.web ?? webEdgeConfigFromEnv({});
  const allowed = new Set(web.corsOrigins);
  // Preflights carry no token by design: they are answered here, before authentication, and only for listed origins.
  app.use(
    cors({
      origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
      methods: ['GET', 'POST', 'OPTIONS'],
      allowedHeaders: [
        'authorization',
        'content-type',
        'apollographql-client-name',
        'apollographql-client-version',
        'apollo-require-preflight',
        'x-request-id',
      ],
      exposedHeaders: ['content-disposition'],
      maxAge: 600,
    }),
  );
  // An origin off the list gets an answer without CORS headers (the browser then blocks the call), never a 401.
  app.use((request, response, next) => (request.method === 'OPTIONS' ? void response.sendStatus(204) : next()));
  app.use(
    '/auth/dev',
    devSignIn({
      enabled: !config.production,
      jwtSecret: config.auth.mode === 'hs256' ? config.auth.secret : null,
      issuer: config.auth.issuer,
      audience: config.auth.audience,
      internalSecret: config.internalSecret,
      leadSubgraphUrl: config.subgraphUrls.lead,
    }),
  );
  const live = liveUpdates({ kafka: web.liveKafka, verify, logger });
  app.use('/live', live.router);
  return {
    trustedDocuments: trustedDocuments({ files: web.trustedDocumentFiles, requiredFor: web.trustedDocumentsRequiredFor }),
    live,
    mountAfter(target) {
      const auth = web.oidc ? ({ mode: 'oidc', ...web.oidc } as const) : config.production ? ({ mode: 'none' } as const) : ({ mode: 'dev' } as const);
      target.use(webApp(web.distDir, { auth, liveUpdates: web.liveKafka !== null }));
    },
    close: () => live.close(),
  };
}
