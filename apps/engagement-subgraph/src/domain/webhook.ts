import { type Actor, badInput, forbidden, hasRole } from '@pipeline/domain';

export const DELIVERY_STATUSES = ['PENDING', 'DELIVERED', 'DEAD'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface RetryPolicy {
  // Attempts in all, the first included; after the last failure the delivery is dead-lettered.
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseBackoffMs: 5_000, maxBackoffMs: 3_600_000 };

export type AttemptOutcome = { status: 'DELIVERED' } | { status: 'PENDING'; nextAttemptAt: Date } | { status: 'DEAD' };

// A 2xx answer delivers; anything else (another status, no answer) is tried again after an exponential backoff, until
// the attempts run out and the delivery is kept as dead-lettered for an operator.
export function afterAttempt(attempts: number, succeeded: boolean, now: Date, policy: RetryPolicy): AttemptOutcome {
  if (succeeded) return { status: 'DELIVERED' };
  if (attempts >= policy.maxAttempts) return { status: 'DEAD' };
  const delay = Math.min(policy.baseBackoffMs * 2 ** (attempts - 1), policy.maxBackoffMs);
  return { status: 'PENDING', nextAttemptAt: new Date(now.getTime() + delay) };
}

// A team's webhooks are set up by its managers or an admin.
export function assertCanManageTeamWebhooks(actor: Actor, teamId: string): void {
  if (hasRole(actor, 'ADMIN')) return;
  if (hasRole(actor, 'MANAGER') && actor.teamId === teamId) return;
  throw forbidden("Only a manager of the team or an admin manages the team's webhooks");
}

// Who may see a team's webhooks: its own people, analysts and admins.
export const canSeeTeamWebhooks = (actor: Actor, teamId: string): boolean => hasRole(actor, 'ADMIN') || hasRole(actor, 'ANALYST') || actor.teamId === teamId;

// Receivers are web endpoints; production sends only over TLS.
export function parseWebhookUrl(value: unknown, production: boolean): string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    throw badInput('url', 'url must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !production))
    throw badInput('url', production ? 'url must use https' : 'url must use http or https');
  if (url.username || url.password) throw badInput('url', 'url must not carry credentials');
  if (String(value).length > 2_000) throw badInput('url', 'url must be at most 2000 characters');
  return url.toString();
}
