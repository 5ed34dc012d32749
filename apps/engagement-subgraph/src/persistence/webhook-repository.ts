import type { EntityManager } from 'typeorm';

import type { DeliveryStatus } from '../domain/webhook';
import { updatedRows } from './update-result';

export interface TeamWebhook {
  id: string;
  teamId: string;
  url: string;
  active: boolean;
  createdBy: string;
  createdAt: Date;
}

export interface WebhookDelivery {
  id: string;
  endpointId: string;
  notificationId: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastStatus: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
  createdAt: Date;
}

const toWebhook = (row: { id: string; team_id: string; url: string; active: boolean; created_by: string; created_at: Date }): TeamWebhook => ({
  id: row.id,
  teamId: row.team_id,
  url: row.url,
  active: row.active,
  createdBy: row.created_by,
  createdAt: row.created_at,
});

export async function insertWebhook(manager: EntityManager, webhook: TeamWebhook, secret: string): Promise<void> {
  await manager.query(`INSERT INTO webhook_endpoint (id, team_id, url, secret, active, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    webhook.id,
    webhook.teamId,
    webhook.url,
    secret,
    webhook.active,
    webhook.createdBy,
    webhook.createdAt,
  ]);
}

export async function findWebhook(manager: EntityManager, id: string, lock = false): Promise<TeamWebhook | null> {
  const rows = await manager.query(`SELECT * FROM webhook_endpoint WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toWebhook(rows[0]) : null;
}

export async function deactivateWebhook(manager: EntityManager, id: string): Promise<void> {
  await manager.query(`UPDATE webhook_endpoint SET active = false WHERE id = $1`, [id]);
}

export async function listWebhooks(manager: EntityManager, teamId: string | null): Promise<TeamWebhook[]> {
  const rows =
    teamId === null
      ? await manager.query(`SELECT * FROM webhook_endpoint ORDER BY created_at, id`)
      : await manager.query(`SELECT * FROM webhook_endpoint WHERE team_id = $1 ORDER BY created_at, id`, [teamId]);
  return rows.map(toWebhook);
}

export async function deliveriesOf(manager: EntityManager, endpointId: string, status: DeliveryStatus | null, limit: number): Promise<WebhookDelivery[]> {
  const rows: Array<{
    id: string;
    endpoint_id: string;
    notification_id: string;
    status: DeliveryStatus;
    attempts: number;
    next_attempt_at: Date;
    last_status: number | null;
    last_error: string | null;
    delivered_at: Date | null;
    created_at: Date;
  }> = await manager.query(
    `SELECT * FROM webhook_delivery WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2) ORDER BY created_at DESC, id DESC LIMIT $3`,
    [endpointId, status, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    endpointId: row.endpoint_id,
    notificationId: row.notification_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status,
    lastError: row.last_error,
    deliveredAt: row.delivered_at,
    createdAt: row.created_at,
  }));
}

// In the transaction that writes the notifications: one delivery per active endpoint of the recipient's team. The
// payload is fixed now (Standard Webhooks' type/timestamp/data), so every retry sends the same bytes under the same id.
export async function enqueueDeliveries(manager: EntityManager, notificationIds: readonly string[], now: Date): Promise<number> {
  if (notificationIds.length === 0) return 0;
  const rows: unknown[] = await manager.query(
    `INSERT INTO webhook_delivery (id, endpoint_id, notification_id, payload, status, attempts, next_attempt_at, created_at)
     SELECT gen_random_uuid(), e.id, n.id,
            jsonb_build_object('type', 'notification.created', 'timestamp', to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
              'data', jsonb_build_object('id', n.id, 'kind', n.kind, 'title', n.title, 'body', n.body, 'recipientId', n.recipient_id, 'teamId', n.recipient_team_id,
                                         'leadId', n.lead_id, 'opportunityId', n.opportunity_id, 'taskId', n.task_id)),
            'PENDING', 0, $2, $2
       FROM notification n JOIN webhook_endpoint e ON e.team_id = n.recipient_team_id AND e.active
      WHERE n.id = ANY($1::uuid[])
     ON CONFLICT (endpoint_id, notification_id) DO NOTHING RETURNING id`,
    [notificationIds, now],
  );
  return rows.length;
}

export interface DueDelivery {
  id: string;
  payload: unknown;
  attempts: number;
  url: string;
  secret: string;
}

// Claims due deliveries for a lease (SKIP LOCKED, committed at once), so no transaction stays open across HTTP calls and
// a sender that dies mid-flight only delays them until the lease runs out.
export async function claimDueDeliveries(manager: EntityManager, now: Date, leaseMs: number, limit: number): Promise<DueDelivery[]> {
  const result: unknown = await manager.query(
    `WITH due AS (
       SELECT d.id FROM webhook_delivery d WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1 ORDER BY d.next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED
     )
     UPDATE webhook_delivery d SET next_attempt_at = $2 FROM due, webhook_endpoint e
      WHERE d.id = due.id AND e.id = d.endpoint_id
     RETURNING d.id, d.payload, d.attempts, e.url, e.secret`,
    [now, new Date(now.getTime() + leaseMs), limit],
  );
  return updatedRows<DueDelivery>(result);
}

export async function recordAttempt(
  manager: EntityManager,
  id: string,
  result: {
    attempts: number;
    status: DeliveryStatus;
    nextAttemptAt: Date | null;
    lastStatus: number | null;
    lastError: string | null;
    deliveredAt: Date | null;
  },
): Promise<void> {
  await manager.query(
    `UPDATE webhook_delivery SET attempts = $2, status = $3, next_attempt_at = coalesce($4, next_attempt_at), last_status = $5, last_error = $6, delivered_at = $7 WHERE id = $1`,
    [id, result.attempts, result.status, result.nextAttemptAt, result.lastStatus, result.lastError?.slice(0, 1_000) ?? null, result.deliveredAt],
  );
}
