import { type Actor, forbidden, hasRole, parseText } from '@pipeline/domain';

import { canSeeTeamWebhooks } from '../../domain/webhook';
import { listWebhooks, type TeamWebhook } from '../../persistence/webhook-repository';
import type { EngagementDeps } from '../deps';

// Never the secrets: they are shown once, at registration.
export async function listTeamWebhooks(deps: EngagementDeps, actor: Actor, rawTeamId: unknown): Promise<TeamWebhook[]> {
  const teamId = parseText(rawTeamId, 'teamId', { maxLength: 100 }) ?? actor.teamId;
  if (teamId === null) {
    if (hasRole(actor, 'ADMIN') || hasRole(actor, 'ANALYST')) return listWebhooks(deps.dataSource.manager, null);
    return [];
  }
  if (!canSeeTeamWebhooks(actor, teamId)) throw forbidden("Only the team's people, analysts and admins see its webhooks");
  return listWebhooks(deps.dataSource.manager, teamId);
}
