import { createCloudEvent, EVENT_TYPES, TOPICS } from '@pipeline/events';
import type { OutboxEntry } from '@pipeline/persistence';

import type { Pipeline } from '../domain/pipeline';
import { SOURCE } from './opportunity-events';

// A pipeline version as a fact (created or stages changed), so analytics can compare the cohorts before and after it.
export function pipelineRevisedEvent(pipeline: Pipeline, revisedBy: string | null, at: Date): OutboxEntry {
  return {
    topic: TOPICS.opportunityEvents,
    aggregateType: 'process',
    event: createCloudEvent({
      type: EVENT_TYPES.pipelineRevised,
      source: SOURCE,
      subject: pipeline.id,
      time: at,
      data: {
        pipelineId: pipeline.id,
        name: pipeline.name,
        version: pipeline.version,
        revisedAt: at.toISOString(),
        revisedBy,
        stages: pipeline.stages.map((stage) => ({
          key: stage.key,
          position: stage.position,
          category: stage.category,
          probability: stage.probability,
          entryCriteria: stage.entryCriteria,
          exitCriteria: stage.exitCriteria,
          active: stage.active,
        })),
      },
    }),
  };
}
