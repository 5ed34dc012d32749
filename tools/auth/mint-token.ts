import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import { isRole } from '@pipeline/domain';
import { LOCAL_JWT_SECRET, signUserToken } from '@pipeline/server-kit';

// Mints an HS256 token the local gateway accepts (AUTH_JWT_SECRET, or the local default).
const { values } = parseArgs({
  options: {
    role: { type: 'string', multiple: true, default: ['ADMIN'] },
    sub: { type: 'string' },
    team: { type: 'string' },
    ttl: { type: 'string', default: '8h' },
  },
});

async function main(): Promise<void> {
  const roles = values.role ?? ['ADMIN'];
  if (!roles.every(isRole)) throw new Error('--role must be REP, MANAGER, ANALYST or ADMIN');
  const actor = { userId: values.sub ?? randomUUID(), roles, teamId: values.team ?? null };
  const token = await signUserToken(actor, process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET, values.ttl ?? '8h');
  console.log(token);
}

main().catch((error) => {
  console.error((error as Error).message);
  process.exit(1);
});
