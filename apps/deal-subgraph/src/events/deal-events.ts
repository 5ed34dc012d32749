import { createCloudEvent, type EventDataMap, TOPICS } from '@pipeline/events';
import type { OutboxEntry } from '@pipeline/persistence';

import type { Deal } from '../domain/deal';

export const SOURCE = '/sales/deal-subgraph';

type DealEventType =
  | 'sales.proposal.created.v1'
  | 'sales.proposal.sent.v1'
  | 'sales.proposal.decided.v1'
  | 'sales.deal.terms_set.v1'
  | 'sales.deal.discount_decided.v1'
  | 'sales.deal.commitment_recorded.v1'
  | 'sales.deal.closed.v1'
  | 'sales.deal.reopened.v1'
  | 'sales.deal.objection_recorded.v1';

// Deal events are keyed by opportunity id (contract/events.md), so one opportunity's deal history stays in order.
export function dealEvent<T extends DealEventType>(
  type: T,
  deal: Deal,
  actorId: string | null,
  at: Date,
  data: Omit<EventDataMap[T], 'opportunityId' | 'dealId' | 'occurredAt' | 'actorId'>,
): OutboxEntry {
  const payload = { opportunityId: deal.opportunityId, dealId: deal.id, occurredAt: at.toISOString(), actorId, ...data } as EventDataMap[T];
  return {
    topic: TOPICS.dealEvents,
    aggregateType: 'deal',
    event: createCloudEvent({ type, source: SOURCE, subject: deal.opportunityId, time: at, data: payload }),
  };
}
