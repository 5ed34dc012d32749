import { type Actor, badInput, parseId } from '@pipeline/domain';

import { markRead, unreadCount } from '../../persistence/notification-repository';
import type { EngagementDeps } from '../deps';

const MAX_IDS = 500;

// Marks the caller's own notifications; ids of someone else's are not theirs to mark and change nothing.
export async function markNotificationsRead(
  deps: EngagementDeps,
  actor: Actor,
  input: { ids?: unknown },
): Promise<{ markedCount: number; unreadCount: number }> {
  let ids: string[] | null = null;
  if (input.ids !== undefined && input.ids !== null) {
    if (!Array.isArray(input.ids) || input.ids.length > MAX_IDS) throw badInput('ids', `ids must be a list of at most ${MAX_IDS} ids`);
    ids = input.ids.map((id) => parseId(id, 'ids'));
  }
  return deps.dataSource.transaction(async (manager) => {
    const markedCount = await markRead(manager, actor.userId, ids, deps.now());
    return { markedCount, unreadCount: await unreadCount(manager, actor.userId) };
  });
}
