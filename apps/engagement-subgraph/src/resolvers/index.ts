import { type Actor, canRead, isUuid, parseId } from '@pipeline/domain';
import { pageSize, toConnection } from '@pipeline/persistence';
import { scalarResolvers } from '@pipeline/server-kit';

import type { EngagementContext } from '../context';
import { isOverdue, nextActivityAt, overdueCount, type Task, taskOwnership } from '../domain/task';
import type { Resolvers } from '../generated/graphql';
import { listNotifications, notificationCursor, unreadCount } from '../persistence/notification-repository';
import { deliveriesOf } from '../persistence/webhook-repository';
import { cancelTask } from '../use-cases/cancel-task/cancel-task';
import { completeTask } from '../use-cases/complete-task/complete-task';
import { readDailyDigest } from '../use-cases/compose-daily-digests/compose-daily-digests';
import { createTask } from '../use-cases/create-task/create-task';
import { disableTeamWebhook } from '../use-cases/disable-team-webhook/disable-team-webhook';
import { listVisibleTasks } from '../use-cases/list-tasks/list-tasks';
import { listTeamWebhooks } from '../use-cases/list-team-webhooks/list-team-webhooks';
import { markNotificationsRead } from '../use-cases/mark-notifications-read/mark-notifications-read';
import { registerTeamWebhook } from '../use-cases/register-team-webhook/register-team-webhook';
import { rescheduleTask } from '../use-cases/reschedule-task/reschedule-task';

// A record's tasks as the caller may see them (visibility follows the assignee).
const visibleTasks = (actor: Actor, tasks: Task[], status?: string | null): Task[] =>
  tasks.filter((task) => canRead(actor, taskOwnership(task)) && (!status || task.status === status));

// Lead and Opportunity ids reach here from other subgraphs; an id that is not a uuid has no tasks.
const subjectFields = (loader: 'tasksByLead' | 'tasksByOpportunity') => ({
  __resolveReference: (reference: { id: string }) => ({ id: reference.id }),
  tasks: async (subject: { id: string }, args: { status?: string | null }, { actor, loaders }: EngagementContext) =>
    isUuid(subject.id) ? visibleTasks(actor, await loaders[loader].load(subject.id), args.status) : [],
  nextActivityAt: async (subject: { id: string }, _args: unknown, { actor, loaders }: EngagementContext) =>
    isUuid(subject.id) ? nextActivityAt(visibleTasks(actor, await loaders[loader].load(subject.id))) : null,
  overdueTaskCount: async (subject: { id: string }, _args: unknown, { actor, loaders, deps }: EngagementContext) =>
    isUuid(subject.id) ? overdueCount(visibleTasks(actor, await loaders[loader].load(subject.id)), deps.now()) : 0,
});

export const resolvers: Resolvers = {
  ...scalarResolvers,
  Query: {
    tasks: async (_parent, { filter, first, after }, { actor, deps }) => listVisibleTasks(deps, actor, filter ?? {}, first, after),
    notifications: async (_parent, { first, after, unreadOnly }, { actor, deps }) =>
      toConnection(await listNotifications(deps.dataSource.manager, actor.userId, unreadOnly === true, pageSize(first), after), notificationCursor),
    unreadNotificationCount: (_parent, _args, { actor, deps }) => unreadCount(deps.dataSource.manager, actor.userId),
    teamWebhooks: (_parent, { teamId }, { actor, deps }) => listTeamWebhooks(deps, actor, teamId),
    dailyDigest: (_parent, { date }, { actor, deps }) => readDailyDigest(deps, actor, date),
  },
  Mutation: {
    createTask: async (_parent, { input }, { actor, deps }) => ({ task: await createTask(deps, actor, input) }),
    completeTask: async (_parent, { input }, { actor, deps }) => ({ task: await completeTask(deps, actor, input) }),
    rescheduleTask: async (_parent, { input }, { actor, deps }) => ({ task: await rescheduleTask(deps, actor, input) }),
    cancelTask: async (_parent, { input }, { actor, deps }) => ({ task: await cancelTask(deps, actor, input) }),
    markNotificationsRead: (_parent, { input }, { actor, deps }) => markNotificationsRead(deps, actor, input),
    registerTeamWebhook: (_parent, { input }, { actor, deps, production }) => registerTeamWebhook(deps, actor, input, production),
    disableTeamWebhook: async (_parent, { input }, { actor, deps }) => ({ webhook: await disableTeamWebhook(deps, actor, input) }),
  },
  TeamWebhook: {
    deliveries: (webhook, { status, first }, { deps }) => deliveriesOf(deps.dataSource.manager, webhook.id, status ?? null, pageSize(first)),
  },
  Lead: subjectFields('tasksByLead'),
  Opportunity: subjectFields('tasksByOpportunity'),
  Task: {
    overdue: (task, _args, { deps }) => isOverdue(task, deps.now()),
    lead: (task) => (task.leadId ? { __typename: 'Lead', id: task.leadId } : null),
    opportunity: (task) => (task.opportunityId ? { __typename: 'Opportunity', id: task.opportunityId } : null),
  },
  Notification: {
    lead: (notification) => (notification.leadId ? { __typename: 'Lead', id: notification.leadId } : null),
    opportunity: (notification) => (notification.opportunityId ? { __typename: 'Opportunity', id: notification.opportunityId } : null),
    // The task as the caller may see it now (it may have been re-assigned since).
    task: async (notification, _args, { actor, loaders }) => {
      if (!notification.taskId) return null;
      const task = await loaders.task.load(parseId(notification.taskId, 'taskId'));
      return task && canRead(actor, taskOwnership(task)) ? task : null;
    },
  },
};
