import type { EntityManager } from 'typeorm';

import type { Notification, NotificationDraft } from '../../domain/notification';
import { insertNotifications } from '../../persistence/notification-repository';
import { enqueueDeliveries } from '../../persistence/webhook-repository';

// Every notification is written here, in the transaction of what caused it (a consumed fact or a sweep), together
// with its deliveries to the recipient team's webhooks: a notification and its webhook calls exist together or not at all.
export async function recordNotifications(manager: EntityManager, drafts: readonly NotificationDraft[], now: Date): Promise<Notification[]> {
  const written = await insertNotifications(manager, drafts, now);
  await enqueueDeliveries(
    manager,
    written.map((notification) => notification.id),
    now,
  );
  return written;
}
