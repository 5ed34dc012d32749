import { webcrypto } from 'node:crypto';

import { type Actor, isRole, isUuid } from '@pipeline/domain';
import { type JWTPayload, jwtVerify, SignJWT } from 'jose';
import { LRUCache } from 'lru-cache';

const ISSUER = 'pipeline-gateway';
const AUDIENCE = 'pipeline-subgraphs';
export const IDENTITY_HEADER = 'x-pipeline-identity';

// jose imports a raw secret into WebCrypto on every sign and verify; the imported key is kept per secret instead.
const keys = new Map<string, Promise<webcrypto.CryptoKey>>();
export const hmacKeyOf = (secret: string): Promise<webcrypto.CryptoKey> => {
  let key = keys.get(secret);
  if (!key)
    keys.set(secret, (key = webcrypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])));
  return key;
};

// Seconds an identity token lives; subgraphs refuse one issued longer ago (verifyIdentityToken's maxTokenAge).
const IDENTITY_TOKEN_SECONDS = 120;

// The gateway's proof of identity for subgraphs: short-lived, signed with a secret only the services share.
// `issuedAt` (seconds since the epoch) defaults to now.
export async function signIdentityToken(actor: Actor, secret: string, requestId?: string, issuedAt = Math.floor(Date.now() / 1000)): Promise<string> {
  return new SignJWT({ roles: actor.roles, teamId: actor.teamId, rid: requestId })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(actor.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + IDENTITY_TOKEN_SECONDS)
    .sign(await hmacKeyOf(secret));
}

export interface IdentityTokenSignerOptions {
  // How long one actor's token is handed out again; it then has the rest of its 2 minutes for the request's subgraph calls.
  reuseMs?: number;
  // How many actors' tokens are kept (least recently used go first).
  max?: number;
  // Milliseconds since the epoch; tests move it.
  now?: () => number;
}

// The gateway signs a token per request for the same few actors: a WebCrypto HMAC each time. One actor's token is
// reused for the first half of its life instead, so it always has a minute ahead of it; a reused token names no
// request (the request id travels in x-request-id).
export function createIdentityTokenSigner(secret: string, options: IdentityTokenSignerOptions = {}): (actor: Actor) => Promise<string> {
  const reuseMs = options.reuseMs ?? (IDENTITY_TOKEN_SECONDS * 1000) / 2;
  const now = options.now ?? Date.now;
  const tokens = new LRUCache<string, { token: string; until: number }>({ max: options.max ?? 10_000 });
  return async (actor) => {
    // Every claim the token carries is in the key, so a token is only ever reused for the very same identity.
    const key = JSON.stringify([actor.userId, actor.roles, actor.teamId]);
    const at = now();
    const kept = tokens.get(key);
    if (kept && at < kept.until) return kept.token;
    const issuedAt = Math.floor(at / 1000);
    const token = await signIdentityToken(actor, secret, undefined, issuedAt);
    // Counted from the whole second the token says it was issued in, which may lie up to a second before `at`.
    tokens.set(key, { token, until: issuedAt * 1000 + reuseMs });
    return token;
  };
}

// An end-user token as the gateway accepts it locally (HS256 with AUTH_JWT_SECRET): for the token tool, local
// sign-in and tests. Production tokens come from the identity provider.
export async function signUserToken(actor: Actor, secret: string, expiresIn = '1h'): Promise<string> {
  return new SignJWT({ roles: actor.roles, ...(actor.teamId ? { teamId: actor.teamId } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(actor.userId)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(await hmacKeyOf(secret));
}

const CLOCK_TOLERANCE_SECONDS = 5;

async function verifyIdentityClaims(token: string, secret: string, currentDate?: Date): Promise<JWTPayload> {
  // The gateway mints a token at most a minute before a request, so an old or never-expiring one is not the gateway's;
  // a few seconds of tolerance keep a gateway whose clock runs slightly ahead from failing calls at second boundaries.
  const { payload } = await jwtVerify(token, await hmacKeyOf(secret), {
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ['HS256'],
    requiredClaims: ['exp', 'iat'],
    maxTokenAge: IDENTITY_TOKEN_SECONDS,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    currentDate,
  });
  return payload;
}

export async function verifyIdentityToken(token: string, secret: string): Promise<Actor> {
  return actorFromClaims(await verifyIdentityClaims(token, secret));
}

export interface IdentityTokenVerifierOptions {
  // How many verified tokens are remembered (least recently used go first).
  max?: number;
  // Milliseconds since the epoch; tests move it.
  now?: () => number;
}

// A subgraph sees the same token for every request of one actor for a minute (createIdentityTokenSigner): it is
// verified once (a WebCrypto HMAC) and trusted again, by its exact string, until the first instant jose would refuse
// it: exp passed by the tolerance, or issued longer ago than maxTokenAge plus the tolerance (times in whole seconds).
export function createIdentityTokenVerifier(secret: string, options: IdentityTokenVerifierOptions = {}): (token: string) => Promise<Actor> {
  const now = options.now ?? Date.now;
  const verified = new LRUCache<string, { actor: Actor; from: number; until: number }>({ max: options.max ?? 10_000 });
  const copy = (actor: Actor): Actor => ({ ...actor, roles: [...actor.roles] });
  return async (token) => {
    const at = now();
    const known = verified.get(token);
    // A clock set back to before the check is not trusted either: jose also refuses a token issued in the future.
    if (known && known.from <= at && at < known.until) return copy(known.actor);
    if (known) verified.delete(token);
    const payload = await verifyIdentityClaims(token, secret, new Date(at));
    const actor = actorFromClaims(payload);
    const exp = payload.exp as number;
    const iat = payload.iat as number;
    const until = Math.min((exp + CLOCK_TOLERANCE_SECONDS) * 1000, (iat + IDENTITY_TOKEN_SECONDS + CLOCK_TOLERANCE_SECONDS + 1) * 1000);
    verified.set(token, { actor, from: at, until });
    return copy(actor);
  };
}

// Claims as contract/README.md names them: sub, roles, optional teamId.
export function actorFromClaims(payload: JWTPayload & { roles?: unknown; teamId?: unknown }): Actor {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new Error('token has no subject');
  if (!Array.isArray(payload.roles) || payload.roles.length === 0 || !payload.roles.every(isRole)) {
    throw new Error('token roles must be a non-empty list of REP, MANAGER, ANALYST, ADMIN');
  }
  if (payload.teamId !== undefined && payload.teamId !== null && typeof payload.teamId !== 'string') throw new Error('teamId must be a string');
  // Reps and managers are SalesRep records (contract: their sub is the SalesRep.id), and ownership is checked by it.
  if (payload.roles.some((role) => role === 'REP' || role === 'MANAGER') && !isUuid(payload.sub))
    throw new Error('a REP or MANAGER token needs its SalesRep id as sub');
  // Ids are compared as strings everywhere past this point, and the database writes UUIDs in lower case.
  const userId = isUuid(payload.sub) ? payload.sub.toLowerCase() : payload.sub;
  return { userId, roles: payload.roles, teamId: (payload.teamId as string | undefined) ?? null };
}

// Service to service (no end user): another audience, so a gateway identity token never passes for a service and a
// service token never reaches GraphQL.
const SERVICE_ISSUER = 'pipeline-service';
const SERVICE_AUDIENCE = 'pipeline-internal';
export const SERVICE_IDENTITY_HEADER = 'x-pipeline-service';

export async function signServiceToken(serviceName: string, secret: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(serviceName)
    .setIssuer(SERVICE_ISSUER)
    .setAudience(SERVICE_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1m')
    .sign(await hmacKeyOf(secret));
}

// Returns the calling service's name; throws for anything else (a gateway or user token, an expired or forged one).
export async function verifyServiceToken(token: string, secret: string): Promise<string> {
  const { payload } = await jwtVerify(token, await hmacKeyOf(secret), {
    issuer: SERVICE_ISSUER,
    audience: SERVICE_AUDIENCE,
    algorithms: ['HS256'],
    requiredClaims: ['exp', 'iat', 'sub'],
    maxTokenAge: '1m',
    clockTolerance: 5,
  });
  return payload.sub as string;
}
