// Kafka topics of the contract (contract/events.md); the key of every message is the aggregate id.
export const TOPICS = {
  stageChanged: 'sales.stage-changed.v1',
  leadEvents: 'sales.lead-events.v1',
  opportunityEvents: 'sales.opportunity-events.v1',
  dealEvents: 'sales.deal-events.v1',
  // Added to the contract: sales reps and their teams, so every service can apply team visibility.
  repEvents: 'sales.rep-events.v1',
  // Added to the contract: follow-up tasks on leads and opportunities (engagement service).
  taskEvents: 'sales.task-events.v1',
  // Added to the contract: accounts and contacts (opportunity service); key: the account id or the contact id.
  accountEvents: 'sales.account-events.v1',
} as const;

export type TopicName = (typeof TOPICS)[keyof typeof TOPICS];

export const ALL_TOPICS: TopicName[] = Object.values(TOPICS);

// Poison messages go beside their topic, with the reason in a header.
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;

export const CLOUDEVENTS_CONTENT_TYPE = 'application/cloudevents+json; charset=UTF-8';

// Retention of the contract topics and their dead-letter topics: every event is kept for good. No time- or size-based
// deletion (a rebuild or a new analyst's consumer reads from offset 0 and must see everything), and no compaction:
// compaction keeps only the newest message per key, which would erase an opportunity's earlier stage changes, the
// history that conversions, dwell times and replays are computed from. Events are facts, not a table's latest row.
export const KEEP_EVERY_EVENT: Readonly<Record<string, string>> = { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' };

// The configuration a topic must have, whatever prefix a namespace gives it; null for topics outside the contract.
export function contractTopicConfig(topic: string): Readonly<Record<string, string>> | null {
  return ALL_TOPICS.some((name) => topic.endsWith(name) || topic.endsWith(deadLetterTopic(name))) ? KEEP_EVERY_EVENT : null;
}
