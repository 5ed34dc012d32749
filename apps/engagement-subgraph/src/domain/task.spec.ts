import { randomUUID } from 'node:crypto';

import type { Actor } from '@pipeline/domain';

import {
  type Assignee,
  isOverdue,
  nextActivityAt,
  overdueCount,
  planCancelTask,
  planCompleteTask,
  planCreateTask,
  planRescheduleTask,
  type Task,
  type WorkRecord,
} from './task';

const now = new Date('2026-12-01T10:00:00Z');
const rep = (id = randomUUID(), teamId = 'north'): Actor => ({ userId: id, roles: ['REP'], teamId });
const manager = (teamId = 'north'): Actor => ({ userId: randomUUID(), roles: ['MANAGER'], teamId });
const analyst: Actor = { userId: randomUUID(), roles: ['ANALYST'], teamId: null };
const admin: Actor = { userId: randomUUID(), roles: ['ADMIN'], teamId: null };
const recordOf = (ownerId: string, ownerTeamId: string | null = 'north', open = true): WorkRecord => ({
  kind: 'OPPORTUNITY',
  id: randomUUID(),
  ownerId,
  ownerTeamId,
  open,
});
const assigneeOf = (id: string, teamId: string | null = 'north', active = true): Assignee => ({ id, teamId, active });
const input = { id: randomUUID(), title: 'Call back', notes: null, dueAt: new Date('2026-12-02T09:00:00Z') };
const codeOf = (act: () => unknown): string | undefined => {
  try {
    act();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
};

describe('planning a task', () => {
  it('lets a rep plan on their own record for themselves, open and at version 1', () => {
    const me = rep();
    const record = recordOf(me.userId);
    const task = planCreateTask(me, record, assigneeOf(me.userId), input, now);
    expect(task).toMatchObject({ status: 'OPEN', version: 1, assigneeId: me.userId, opportunityId: record.id, leadId: null, createdBy: me.userId });
  });

  it('refuses a rep planning for another rep, and on another rep’s record', () => {
    const me = rep();
    const other = randomUUID();
    expect(codeOf(() => planCreateTask(me, recordOf(me.userId), assigneeOf(other), input, now))).toBe('FORBIDDEN');
    expect(codeOf(() => planCreateTask(me, recordOf(other), assigneeOf(me.userId), input, now))).toBe('NOT_FOUND');
  });

  it('lets a manager assign within the team but not outside it; an analyst plans nothing; an admin anything', () => {
    const boss = manager('north');
    const member = randomUUID();
    expect(planCreateTask(boss, recordOf(member), assigneeOf(member), input, now).assigneeId).toBe(member);
    expect(codeOf(() => planCreateTask(boss, recordOf(member), assigneeOf(randomUUID(), 'south'), input, now))).toBe('FORBIDDEN');
    expect(codeOf(() => planCreateTask(analyst, recordOf(member), assigneeOf(member), input, now))).toBe('FORBIDDEN');
    expect(planCreateTask(admin, recordOf(member, 'south'), assigneeOf(member, 'south'), input, now).status).toBe('OPEN');
  });

  it('refuses closed records and inactive assignees with CONFLICT', () => {
    const me = rep();
    expect(codeOf(() => planCreateTask(me, recordOf(me.userId, 'north', false), assigneeOf(me.userId), input, now))).toBe('CONFLICT');
    expect(codeOf(() => planCreateTask(admin, recordOf(me.userId), assigneeOf(me.userId, 'north', false), input, now))).toBe('CONFLICT');
  });
});

describe('changing a task', () => {
  const me = rep();
  const task: Task = { ...planCreateTask(me, recordOf(me.userId), assigneeOf(me.userId), input, now) };

  it('completes, reschedules and cancels an open task, one version up each', () => {
    expect(planCompleteTask(me, task, 1, now)).toMatchObject({ status: 'DONE', completedAt: now, version: 2 });
    const later = new Date('2026-12-05T09:00:00Z');
    expect(planRescheduleTask(me, task, later, null, now)).toMatchObject({ status: 'OPEN', dueAt: later, version: 2 });
    expect(planCancelTask(me, task, 'duplicate', 1, now)).toMatchObject({ status: 'CANCELLED', cancelReason: 'duplicate', version: 2 });
  });

  it('refuses a stale version and a task no longer open with CONFLICT', () => {
    expect(codeOf(() => planCompleteTask(me, task, 7, now))).toBe('CONFLICT');
    expect(codeOf(() => planRescheduleTask(me, planCompleteTask(me, task, null, now), new Date(), null, now))).toBe('CONFLICT');
  });

  it('hides another rep’s task (NOT_FOUND), lets the team’s manager change it, and lets an analyst only read it', () => {
    expect(codeOf(() => planCompleteTask(rep(), task, null, now))).toBe('NOT_FOUND');
    expect(planCompleteTask(manager('north'), task, null, now).status).toBe('DONE');
    expect(codeOf(() => planCompleteTask(manager('south'), task, null, now))).toBe('NOT_FOUND');
    expect(codeOf(() => planCancelTask(analyst, task, null, null, now))).toBe('FORBIDDEN');
  });
});

describe('next activity and overdue', () => {
  const at = (iso: string, status: Task['status'] = 'OPEN') => ({ status, dueAt: new Date(iso) });

  it('takes the earliest open due time, ignoring done and cancelled tasks', () => {
    expect(nextActivityAt([at('2026-12-03T00:00:00Z'), at('2026-11-30T00:00:00Z', 'DONE'), at('2026-12-02T00:00:00Z')])).toEqual(
      new Date('2026-12-02T00:00:00Z'),
    );
    expect(nextActivityAt([at('2026-12-03T00:00:00Z', 'CANCELLED')])).toBeNull();
  });

  it('counts open tasks due before now as overdue', () => {
    expect(isOverdue(at('2026-12-01T09:59:59Z'), now)).toBe(true);
    expect(isOverdue(at('2026-12-01T09:59:59Z', 'DONE'), now)).toBe(false);
    expect(overdueCount([at('2026-11-01T00:00:00Z'), at('2026-12-09T00:00:00Z'), at('2026-11-02T00:00:00Z', 'CANCELLED')], now)).toBe(1);
  });
});
