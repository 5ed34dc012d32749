import fs from 'node:fs';
import path from 'node:path';

import { envInt, envSecret, envString, isProduction, LOCAL_INTERNAL_SECRET, LOCAL_JWT_SECRET } from '@pipeline/server-kit';

import type { AuthConfig } from './auth';
import { type ReadinessSettings, readinessSettingsFromEnv } from './readiness';
import type { SupergraphWatchSettings } from './supergraph-watch';
import { type WebEdgeConfig, webEdgeConfigFromEnv } from './web-edge-config';

export interface Limits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
  maxBodyBytes: number;
  maxBatch: number;
  maxSimulations: number;
  maxRows: number;
  // Above the subgraphs' statement timeout (15 s), so a slow query fails there first, with its own clean error.
  subgraphTimeoutMs: number;
  exportTimeoutMs: number;
}

export interface GatewayConfig {
  port: number;
  production: boolean;
  supergraphSdl: string;
  // The file the supergraph came from, polled for a new one (off with GATEWAY_SUPERGRAPH_WATCH=off).
  supergraphWatch?: SupergraphWatchSettings;
  subgraphUrls: Record<string, string>;
  auth: AuthConfig;
  internalSecret: string;
  limits: Limits;
  // Which subgraphs' readiness decides the gateway's (default: all of them).
  readiness?: ReadinessSettings;
  // Browser-facing extras (web app, sign-in, CORS, trusted documents, live updates); left out, they are off.
  web?: WebEdgeConfig;
}

export const DEFAULT_LIMITS: Limits = {
  maxDepth: 12,
  maxAliases: 30,
  maxCost: 20_000,
  maxTokens: 5_000,
  maxDirectives: 50,
  maxBodyBytes: 4 * 1024 * 1024,
  maxBatch: 10,
  maxSimulations: 20_000,
  maxRows: 50_000,
  subgraphTimeoutMs: 20_000,
  exportTimeoutMs: 30_000,
};

// The supergraph comes from the committed file (or SUPERGRAPH_PATH, e.g. a ConfigMap); subgraph URLs from the environment.
export function gatewayConfigFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  // Beside the bundle after a build, one folder up when run from source.
  const supergraphPath =
    env.SUPERGRAPH_PATH ??
    [path.join(__dirname, 'supergraph.graphql'), path.join(__dirname, '..', 'supergraph.graphql')].find((candidate) => fs.existsSync(candidate)) ??
    'supergraph.graphql';
  const jwksUrl = env.AUTH_JWKS_URL;
  // An identity provider signs tokens for many apps: without both checks, any of them would be accepted here.
  if (jwksUrl && (!env.AUTH_ISSUER || !env.AUTH_AUDIENCE)) throw new Error('AUTH_ISSUER and AUTH_AUDIENCE must be set with AUTH_JWKS_URL');
  const subgraphUrls = {
    lead: envString('LEAD_SUBGRAPH_URL', 'http://127.0.0.1:4001/graphql', env),
    opportunity: envString('OPPORTUNITY_SUBGRAPH_URL', 'http://127.0.0.1:4002/graphql', env),
    deal: envString('DEAL_SUBGRAPH_URL', 'http://127.0.0.1:4003/graphql', env),
    analytics: envString('ANALYTICS_SUBGRAPH_URL', 'http://127.0.0.1:4004/graphql', env),
    engagement: envString('ENGAGEMENT_SUBGRAPH_URL', 'http://127.0.0.1:4005/graphql', env),
  };
  return {
    port: envInt('PORT', 4000, env),
    production: isProduction(env),
    supergraphSdl: fs.readFileSync(supergraphPath, 'utf8'),
    supergraphWatch: env.GATEWAY_SUPERGRAPH_WATCH === 'off' ? undefined : { path: supergraphPath, pollMs: envInt('SUPERGRAPH_POLL_MS', 5_000, env) },
    subgraphUrls,
    readiness: readinessSettingsFromEnv(Object.keys(subgraphUrls), env),
    auth: jwksUrl
      ? { mode: 'jwks', jwksUrl, issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE }
      : { mode: 'hs256', secret: envSecret('AUTH_JWT_SECRET', LOCAL_JWT_SECRET, env), issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE },
    internalSecret: envSecret('INTERNAL_AUTH_SECRET', LOCAL_INTERNAL_SECRET, env),
    limits: {
      maxDepth: envInt('GATEWAY_MAX_DEPTH', DEFAULT_LIMITS.maxDepth, env),
      maxAliases: envInt('GATEWAY_MAX_ALIASES', DEFAULT_LIMITS.maxAliases, env),
      maxCost: envInt('GATEWAY_MAX_COST', DEFAULT_LIMITS.maxCost, env),
      maxTokens: envInt('GATEWAY_MAX_TOKENS', DEFAULT_LIMITS.maxTokens, env),
      maxDirectives: envInt('GATEWAY_MAX_DIRECTIVES', DEFAULT_LIMITS.maxDirectives, env),
      maxBodyBytes: envInt('GATEWAY_MAX_BODY_BYTES', DEFAULT_LIMITS.maxBodyBytes, env),
      maxBatch: envInt('GATEWAY_MAX_BATCH', DEFAULT_LIMITS.maxBatch, env),
      maxSimulations: envInt('GATEWAY_MAX_SIMULATIONS', DEFAULT_LIMITS.maxSimulations, env),
      maxRows: envInt('GATEWAY_MAX_ROWS', DEFAULT_LIMITS.maxRows, env),
      subgraphTimeoutMs: envInt('GATEWAY_SUBGRAPH_TIMEOUT_MS', DEFAULT_LIMITS.subgraphTimeoutMs, env),
      exportTimeoutMs: envInt('GATEWAY_EXPORT_TIMEOUT_MS', DEFAULT_LIMITS.exportTimeoutMs, env),
    },
    web: webEdgeConfigFromEnv(env),
  };
}
