import { randomBytes } from 'node:crypto';

import { type Actor, badInput, newId, parseText } from '@pipeline/domain';

import { assertCanManageTeamWebhooks, parseWebhookUrl } from '../../domain/webhook';
import { insertWebhook, type TeamWebhook } from '../../persistence/webhook-repository';
import type { EngagementDeps } from '../deps';

// The secret is shown once, here, in the Standard Webhooks form (whsec_ + base64 of 24 random bytes); receivers verify with it.
export async function registerTeamWebhook(
  deps: EngagementDeps,
  actor: Actor,
  input: { teamId?: unknown; url?: unknown },
  production: boolean,
): Promise<{ webhook: TeamWebhook; secret: string }> {
  const teamId = parseText(input.teamId, 'teamId', { maxLength: 100 }) ?? actor.teamId;
  if (teamId === null) throw badInput('teamId', 'teamId is required for a caller without a team');
  assertCanManageTeamWebhooks(actor, teamId);
  const url = parseWebhookUrl(input.url, production);
  const secret = `whsec_${randomBytes(24).toString('base64')}`;
  const webhook: TeamWebhook = { id: newId(), teamId, url, active: true, createdBy: actor.userId, createdAt: deps.now() };
  await deps.dataSource.transaction((manager) => insertWebhook(manager, webhook, secret));
  return { webhook, secret };
}
