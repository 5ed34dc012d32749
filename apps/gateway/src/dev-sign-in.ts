import { type Actor, isRole, isUuid, type Role } from '@pipeline/domain';
import { IDENTITY_HEADER, signIdentityToken } from '@pipeline/server-kit';
import express, { type Request, type Response, type Router } from 'express';
import { SignJWT } from 'jose';

// Outside production the web app's sign-in page picks a seeded user and gets a token here, signed like `npm run token`.
// In production this router answers nothing but a refusal: tokens come from the identity provider.
export interface DevUser {
  id: string;
  name: string;
  role: Role;
  teamId: string | null;
}

export interface DevSignInOptions {
  enabled: boolean;
  jwtSecret: string | null;
  internalSecret: string;
  leadSubgraphUrl: string;
  // The gateway's own checks, so a dev token passes them when AUTH_ISSUER or AUTH_AUDIENCE are set locally.
  issuer?: string;
  audience?: string;
  tokenLifetime?: string;
}

// Analysts and admins need no SalesRep record; these two stand for them on a developer's machine.
export const DEV_STAFF: DevUser[] = [
  { id: '00000000-0000-4000-8000-00000000a001', name: 'Ana Analyst', role: 'ANALYST', teamId: null },
  { id: '00000000-0000-4000-8000-00000000a002', name: 'Adam Admin', role: 'ADMIN', teamId: null },
];

const refuse = (response: Response, status: number, code: string, message: string) =>
  response.status(status).json({ errors: [{ message, extensions: { code } }] });

// Reps and managers come from the lead service, read as the gateway itself would forward an admin's request.
async function salesReps(options: DevSignInOptions): Promise<DevUser[]> {
  const identity = await signIdentityToken({ userId: DEV_STAFF[1].id, roles: ['ADMIN'], teamId: null } satisfies Actor, options.internalSecret);
  const response = await fetch(options.leadSubgraphUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: identity },
    body: JSON.stringify({ query: '{ salesReps { id name role teamId active } }' }),
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await response.json()) as { data?: { salesReps: Array<DevUser & { active: boolean }> } };
  return (body.data?.salesReps ?? [])
    .filter((rep) => rep.active && (rep.role === 'REP' || rep.role === 'MANAGER'))
    .map(({ id, name, role, teamId }) => ({ id, name, role, teamId }));
}

export function devSignIn(options: DevSignInOptions): Router {
  const router = express.Router();
  const enabled = options.enabled && options.jwtSecret !== null;
  router.use((_request, response, next) =>
    enabled ? next() : refuse(response, 404, 'NOT_FOUND', 'Developer sign-in is off: sign in with the identity provider'),
  );

  router.get('/users', async (_request, response) => {
    try {
      const reps = await salesReps(options);
      response.json({ users: [...reps.sort((a, b) => a.role.localeCompare(b.role) || a.name.localeCompare(b.name)), ...DEV_STAFF] });
    } catch {
      refuse(response, 503, 'SUBGRAPH_UNAVAILABLE', 'The lead service is unavailable; only staff users can sign in');
    }
  });

  router.post('/token', express.json({ limit: '4kb' }), async (request: Request, response: Response) => {
    const userId = (request.body as { userId?: unknown } | undefined)?.userId;
    if (!isUuid(userId)) return void refuse(response, 400, 'BAD_USER_INPUT', 'userId must be the id of a seeded user');
    const staff = DEV_STAFF.find((user) => user.id === userId);
    const user = staff ?? (await salesReps(options).catch(() => [])).find((rep) => rep.id === userId.toLowerCase());
    if (!user || !isRole(user.role)) return void refuse(response, 404, 'NOT_FOUND', 'No such user to sign in as');
    const jwt = new SignJWT({ roles: [user.role], ...(user.teamId ? { teamId: user.teamId } : {}), name: user.name })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime(options.tokenLifetime ?? '8h');
    if (options.issuer) jwt.setIssuer(options.issuer);
    if (options.audience) jwt.setAudience(options.audience);
    const token = await jwt.sign(new TextEncoder().encode(options.jwtSecret as string));
    response.json({ token, user });
  });
  return router;
}
