import { type Actor, notFound, parseId } from '@pipeline/domain';

import { assertCanManageTeamWebhooks, canSeeTeamWebhooks } from '../../domain/webhook';
import { deactivateWebhook, findWebhook, type TeamWebhook } from '../../persistence/webhook-repository';
import type { EngagementDeps } from '../deps';

// Stops new deliveries to the endpoint; what was already queued stays, for the record.
export async function disableTeamWebhook(deps: EngagementDeps, actor: Actor, input: { webhookId?: unknown }): Promise<TeamWebhook> {
  const id = parseId(input.webhookId, 'webhookId');
  return deps.dataSource.transaction(async (manager) => {
    const webhook = await findWebhook(manager, id, true);
    if (!webhook || !canSeeTeamWebhooks(actor, webhook.teamId)) throw notFound('Webhook', id);
    assertCanManageTeamWebhooks(actor, webhook.teamId);
    await deactivateWebhook(manager, id);
    return { ...webhook, active: false };
  });
}
