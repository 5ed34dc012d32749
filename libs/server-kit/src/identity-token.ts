import { SignJWT, jwtVerify, type JWTPayload } from 'jose';
import { isRole, type Actor } from '@pipeline/domain';

const ISSUER = 'pipeline-gateway';
const AUDIENCE = 'pipeline-subgraphs';
export const IDENTITY_HEADER = 'x-pipeline-identity';

const keyOf = (secret: string) => new TextEncoder().encode(secret);

// The gateway's proof of identity for subgraphs: short-lived, signed with a secret only the services share.
export async function signIdentityToken(actor: Actor, secret: string, requestId?: string): Promise<string> {
  return new SignJWT({ roles: actor.roles, teamId: actor.teamId, rid: requestId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(actor.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign(keyOf(secret));
}

export async function verifyIdentityToken(token: string, secret: string): Promise<Actor> {
  const { payload } = await jwtVerify(token, keyOf(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
  return actorFromClaims(payload);
}

// Claims as contract/README.md names them: sub, roles, optional teamId.
export function actorFromClaims(payload: JWTPayload & { roles?: unknown; teamId?: unknown }): Actor {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new Error('token has no subject');
  if (!Array.isArray(payload.roles) || payload.roles.length === 0 || !payload.roles.every(isRole)) {
    throw new Error('token roles must be a non-empty list of REP, MANAGER, ANALYST, ADMIN');
  }
  if (payload.teamId !== undefined && payload.teamId !== null && typeof payload.teamId !== 'string') throw new Error('teamId must be a string');
  return { userId: payload.sub, roles: payload.roles, teamId: (payload.teamId as string | undefined) ?? null };
}
