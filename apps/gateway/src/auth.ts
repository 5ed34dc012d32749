import type { Actor } from '@pipeline/domain';
import { actorFromClaims, hmacKeyOf } from '@pipeline/server-kit';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';

export type AuthConfig =
  | { mode: 'hs256'; secret: string; issuer?: string; audience?: string }
  | { mode: 'jwks'; jwksUrl: string; issuer?: string; audience?: string };

export class AuthenticationError extends Error {}

// Verifies end-user bearer tokens: HS256 with a shared secret locally, RS256/ES256 against a JWKS in production.
// The algorithm list is fixed per mode, so "none" and HS/RS confusion are refused by construction.
export function createTokenVerifier(config: AuthConfig): (authorization: string | undefined) => Promise<Actor> {
  // The HS256 secret is imported once (jose would import a raw secret on every call).
  const key: ReturnType<typeof hmacKeyOf> | JWTVerifyGetKey = config.mode === 'hs256' ? hmacKeyOf(config.secret) : createRemoteJWKSet(new URL(config.jwksUrl));
  const algorithms = config.mode === 'hs256' ? ['HS256'] : ['RS256', 'ES256'];
  return async (authorization) => {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!match) throw new AuthenticationError('Send Authorization: Bearer <token>');
    try {
      const options = { algorithms, issuer: config.issuer, audience: config.audience, requiredClaims: ['sub', 'exp'] };
      const { payload } = typeof key === 'function' ? await jwtVerify(match[1], key, options) : await jwtVerify(match[1], await key, options);
      return actorFromClaims(payload);
    } catch (error) {
      throw new AuthenticationError(`Invalid token: ${(error as Error).message}`);
    }
  };
}
