import type { EntityManager } from 'typeorm';
import type { TypedCloudEvent } from '@pipeline/events';

// Deal outcomes and lost reasons; a reopen clears the outcome. Older events never overwrite newer ones.
export async function projectDealOnDealEvent(event: TypedCloudEvent<'sales.deal.closed.v1'> | TypedCloudEvent<'sales.deal.reopened.v1'>, manager: EntityManager): Promise<void> {
  if (event.type === 'sales.deal.reopened.v1') {
    await manager.query(
      `INSERT INTO deal_fact (opportunity_id, outcome, occurred_at) VALUES ($1, NULL, $2)
       ON CONFLICT (opportunity_id) DO UPDATE SET outcome = NULL, lost_reason = NULL, competitor = NULL, closed_at = NULL, occurred_at = EXCLUDED.occurred_at
       WHERE deal_fact.occurred_at <= EXCLUDED.occurred_at`,
      [event.data.opportunityId, event.data.occurredAt],
    );
    return;
  }
  const { data } = event;
  await manager.query(
    `INSERT INTO deal_fact (opportunity_id, outcome, lost_reason, competitor, closed_at, amount, currency, occurred_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (opportunity_id) DO UPDATE SET outcome = EXCLUDED.outcome, lost_reason = EXCLUDED.lost_reason, competitor = EXCLUDED.competitor,
       closed_at = EXCLUDED.closed_at, amount = EXCLUDED.amount, currency = EXCLUDED.currency, occurred_at = EXCLUDED.occurred_at
     WHERE deal_fact.occurred_at <= EXCLUDED.occurred_at`,
    [data.opportunityId, data.outcome, data.lostReason, data.competitor ?? null, data.closedAt, data.amount?.amount ?? null, data.amount?.currency ?? null, data.occurredAt],
  );
}
