// Kafka topics of the contract (contract/events.md); the key of every message is the aggregate id.
export const TOPICS = {
  stageChanged: 'sales.stage-changed.v1',
  leadEvents: 'sales.lead-events.v1',
  opportunityEvents: 'sales.opportunity-events.v1',
  dealEvents: 'sales.deal-events.v1',
  // Added to the contract: sales reps and their teams, so every service can apply team visibility.
  repEvents: 'sales.rep-events.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const ALL_TOPICS: TopicName[] = Object.values(TOPICS);

// Poison messages go beside their topic, with the reason in a header.
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';
