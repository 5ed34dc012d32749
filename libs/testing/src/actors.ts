import { randomUUID } from 'node:crypto';

import type { Actor } from '@pipeline/domain';

export const adminActor = (): Actor => ({ userId: randomUUID(), roles: ['ADMIN'], teamId: null });
export const analystActor = (): Actor => ({ userId: randomUUID(), roles: ['ANALYST'], teamId: null });
export const managerActor = (teamId: string, userId: string = randomUUID()): Actor => ({ userId, roles: ['MANAGER'], teamId });
export const repActor = (userId: string, teamId: string | null = null): Actor => ({ userId, roles: ['REP'], teamId });
