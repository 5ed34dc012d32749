import type { EntityManager } from 'typeorm';
import type { Notification, NotificationDraft } from '../../domain/notification';
import { insertNotifications } from '../../persistence/notification-repository';

// Every notification is written here, in the transaction of what caused it (a consumed fact or a sweep).
export async function recordNotifications(manager: EntityManager, drafts: readonly NotificationDraft[], now: Date): Promise<Notification[]> {
  return insertNotifications(manager, drafts, now);
}
