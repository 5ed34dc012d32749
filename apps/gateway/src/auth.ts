import type { Actor } from '@pipeline/domain';
import { actorFromClaims, hmacKeyOf } from '@pipeline/server-kit';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { LRUCache } from 'lru-cache';

export type AuthConfig =
  | { mode: 'hs256'; secret: string; issuer?: string; audience?: string }
  | { mode: 'jwks'; jwksUrl: string; issuer?: string; audience?: string };

export class AuthenticationError extends Error {}

export interface TokenVerifierOptions {
  // How many verified tokens are remembered (least recently used go first).
  cacheSize?: number;
  // Milliseconds since the epoch; tests move it.
  now?: () => number;
}

// A verified token is trusted again without its signature check (a WebCrypto HMAC or RSA verify per request) until it
// expires, and for 5 minutes at most: a key the identity provider withdraws stops being honoured about when jose's own
// JWKS cache would notice. Only the exact token string hits; a refused token is never remembered.
const MAX_TRUSTED_MS = 5 * 60_000;

// Verifies end-user bearer tokens: HS256 with a shared secret locally, RS256/ES256 against a JWKS in production.
// The algorithm list is fixed per mode, so "none" and HS/RS confusion are refused by construction.
export function createTokenVerifier(config: AuthConfig, options: TokenVerifierOptions = {}): (authorization: string | undefined) => Promise<Actor> {
  // The HS256 secret is imported once (jose would import a raw secret on every call).
  const key: ReturnType<typeof hmacKeyOf> | JWTVerifyGetKey = config.mode === 'hs256' ? hmacKeyOf(config.secret) : createRemoteJWKSet(new URL(config.jwksUrl));
  const algorithms = config.mode === 'hs256' ? ['HS256'] : ['RS256', 'ES256'];
  const now = options.now ?? Date.now;
  const verified = new LRUCache<string, { actor: Actor; from: number; until: number }>({ max: options.cacheSize ?? 10_000 });
  const copy = (actor: Actor): Actor => ({ ...actor, roles: [...actor.roles] });
  return async (authorization) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new AuthenticationError('Send Authorization: Bearer <token>');
    const token = match[1];
    const at = now();
    const known = verified.get(token);
    // A clock set back to before the check is not trusted either (a token's nbf may lie between).
    if (known && known.from <= at && at < known.until) return copy(known.actor);
    if (known) verified.delete(token);
    try {
      const verifyOptions = { algorithms, issuer: config.issuer, audience: config.audience, requiredClaims: ['sub', 'exp'], currentDate: new Date(at) };
      const { payload } = typeof key === 'function' ? await jwtVerify(token, key, verifyOptions) : await jwtVerify(token, await key, verifyOptions);
      const actor = actorFromClaims(payload);
      // jose refuses a token once its exp (in seconds) is not after the current second: exp * 1000 is the first instant refused.
      verified.set(token, { actor, from: at, until: Math.min((payload.exp as number) * 1000, at + MAX_TRUSTED_MS) });
      return copy(actor);
    } catch (error) {
      throw new AuthenticationError(`Invalid token: ${(error as Error).message}`);
    }
  };
}
