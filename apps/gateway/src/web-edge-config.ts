import fs from 'node:fs';
import path from 'node:path';

import { type KafkaSettings, kafkaSettingsFromEnv } from '@pipeline/messaging';

// What the gateway offers browsers besides /graphql: the web app, its sign-in, CORS, trusted documents, live updates.
export interface OidcSettings {
  authority: string;
  clientId: string;
  scope: string;
  // Some identity providers (Auth0, Okta custom servers) need the API's audience on the authorize request.
  audience?: string;
}

export interface WebEdgeConfig {
  // The built web app (index.html and assets/); served at / when set.
  distDir: string | null;
  // Origins allowed to call the graph from a browser on another origin; the web app itself is same-origin.
  corsOrigins: string[];
  // Manifests of trusted documents ({ "<sha256>": "<operation text>" }); the web build emits one.
  trustedDocumentFiles: string[];
  // Client names (apollographql-client-name) that may send only known documents; "*" means every client.
  trustedDocumentsRequiredFor: string[];
  oidc: OidcSettings | null;
  // The opportunity topics feed the live stream; null (off) without KAFKA_BROKERS or with GATEWAY_LIVE_UPDATES=off.
  liveKafka: KafkaSettings | null;
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

export const WEB_CLIENT_NAME = 'pipeline-web';
export const TRUSTED_DOCUMENTS_FILE = 'persisted-documents.json';

export function webEdgeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): WebEdgeConfig {
  const distDir = env.WEB_DIST_DIR ? path.resolve(env.WEB_DIST_DIR) : null;
  const bundled = distDir ? path.join(distDir, TRUSTED_DOCUMENTS_FILE) : null;
  const trustedDocumentFiles =
    env.GATEWAY_TRUSTED_DOCUMENTS !== undefined ? list(env.GATEWAY_TRUSTED_DOCUMENTS) : bundled && fs.existsSync(bundled) ? [bundled] : [];
  const trustedDocumentsRequiredFor = list(env.GATEWAY_TRUSTED_DOCUMENTS_REQUIRED_FOR);
  // Enforcing without a manifest would refuse every operation of those clients: a deployment mistake, said at start.
  if (trustedDocumentsRequiredFor.length > 0 && trustedDocumentFiles.length === 0) {
    throw new Error('GATEWAY_TRUSTED_DOCUMENTS_REQUIRED_FOR needs a manifest: set GATEWAY_TRUSTED_DOCUMENTS or WEB_DIST_DIR with a built web app');
  }
  const authority = env.WEB_OIDC_AUTHORITY;
  const clientId = env.WEB_OIDC_CLIENT_ID;
  if (Boolean(authority) !== Boolean(clientId)) throw new Error('WEB_OIDC_AUTHORITY and WEB_OIDC_CLIENT_ID must be set together');
  return {
    distDir,
    corsOrigins: list(env.CORS_ALLOWED_ORIGINS),
    trustedDocumentFiles,
    trustedDocumentsRequiredFor,
    oidc:
      authority && clientId ? { authority, clientId, scope: env.WEB_OIDC_SCOPE ?? 'openid profile email', audience: env.WEB_OIDC_AUDIENCE || undefined } : null,
    liveKafka: env.KAFKA_BROKERS && env.GATEWAY_LIVE_UPDATES !== 'off' ? kafkaSettingsFromEnv('gateway', env) : null,
  };
}
