import fs from 'node:fs';
import path from 'node:path';

import express, { type NextFunction, type Request, type Response, type Router } from 'express';

import type { OidcSettings } from './web-edge-config';

// The web app is served from the gateway's own origin, so the browser calls /graphql without CORS. Its runtime settings
// (how to sign in) come from this server's environment, so one build runs in every environment.
export interface WebClientSettings {
  auth: { mode: 'dev' } | ({ mode: 'oidc' } & OidcSettings) | { mode: 'none' };
  liveUpdates: boolean;
}

// Paths the gateway answers itself; everything else that asks for HTML is a route of the single-page app.
// (/health alone is the dashboard's Health screen; the probes live below /health/.)
const SERVER_PATHS = /^\/(graphql|exports|metrics|live|auth)(\/|$)|^\/health\/|^\/web-config\.json$/;

export function webApp(distDir: string | null, settings: WebClientSettings): Router {
  const router = express.Router();
  router.get('/web-config.json', (_request, response) => {
    response.set('cache-control', 'no-store').json(settings);
  });
  if (!distDir) return router;
  const indexFile = path.join(distDir, 'index.html');
  const connectSources = ["'self'", ...(settings.auth.mode === 'oidc' ? [new URL(settings.auth.authority).origin] : [])].join(' ');
  const securityHeaders = (_request: Request, response: Response, next: NextFunction) => {
    response.set({
      'content-security-policy': `default-src 'self'; script-src 'self'; connect-src ${connectSources}; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'`,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
    next();
  };
  // Hashed file names never change content: cached for a year; index.html always revalidates.
  router.use('/assets', securityHeaders, express.static(path.join(distDir, 'assets'), { immutable: true, maxAge: '365d', fallthrough: false }));
  router.use(securityHeaders, express.static(distDir, { index: false, maxAge: 0 }));
  router.get(/.*/, (request, response, next) => {
    if (SERVER_PATHS.test(request.path) || !request.accepts('html')) return next();
    if (!fs.existsSync(indexFile)) return next();
    securityHeaders(request, response, () => response.set('cache-control', 'no-cache').sendFile(indexFile));
  });
  return router;
}
