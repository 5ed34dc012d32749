import { createCloudEvent, EVENT_TYPES, TOPICS } from '@pipeline/events';
import type { OutboxEntry } from '@pipeline/persistence';

import type { GateRefusal } from '../domain/gate-refusal';
import { SOURCE } from './opportunity-events';

export function stageMoveRefusedEvent(refusal: GateRefusal): OutboxEntry {
  return {
    topic: TOPICS.opportunityEvents,
    aggregateType: 'opportunity',
    event: createCloudEvent({
      type: EVENT_TYPES.stageMoveRefused,
      source: SOURCE,
      subject: refusal.opportunityId,
      time: refusal.refusedAt,
      data: { ...refusal, refusedAt: refusal.refusedAt.toISOString() },
    }),
  };
}
