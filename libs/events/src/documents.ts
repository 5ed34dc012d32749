import { cloudEventSchemaFor } from './cloud-event';
import { EVENT_CATALOGUE } from './schemas';
import { CLOUDEVENTS_CONTENT_TYPE, KEEP_EVERY_EVENT, TOPICS } from './topics';

// File name of each event type's published JSON Schema (libs/events/schemas/).
export const schemaFileName = (type: string): string => `${type}.schema.json`;

export function jsonSchemaDocuments(): Map<string, unknown> {
  return new Map(EVENT_CATALOGUE.map((definition) => [schemaFileName(definition.type), JSON.parse(JSON.stringify(cloudEventSchemaFor(definition)))]));
}

// The AsyncAPI 3 description of the topics, for analysts' tooling.
export function asyncApiDocument(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};
  const channelKey = (topic: string) => topic.replace(/[^a-zA-Z0-9]/g, '_');
  for (const topic of Object.values(TOPICS)) {
    const definitions = EVENT_CATALOGUE.filter((definition) => definition.topic === topic);
    const key = channelKey(topic);
    // A topic may hold two aggregates (accounts and contacts); process facts are keyed by what they change, said in their summary.
    const aggregates = [...new Set(definitions.map((definition) => definition.aggregate).filter((aggregate) => aggregate !== 'process'))];
    channels[key] = {
      address: topic,
      description: `Key: the ${aggregates.join(' or ') || 'aggregate'} id, so one aggregate's events stay in order.`,
      messages: Object.fromEntries(
        definitions.map((definition) => [channelKey(definition.type), { $ref: `#/components/messages/${channelKey(definition.type)}` }]),
      ),
      // Every event is kept: no time- or size-based deletion, no compaction (the services create and correct topics so).
      bindings: {
        kafka: {
          bindingVersion: '0.5.0',
          topicConfiguration: {
            'cleanup.policy': [KEEP_EVERY_EVENT['cleanup.policy']],
            'retention.ms': Number(KEEP_EVERY_EVENT['retention.ms']),
            'retention.bytes': Number(KEEP_EVERY_EVENT['retention.bytes']),
          },
        },
      },
    };
    operations[`receive_${key}`] = { action: 'receive', channel: { $ref: `#/channels/${key}` } };
    for (const definition of definitions) {
      messages[channelKey(definition.type)] = {
        name: definition.type,
        title: definition.type,
        summary: definition.description,
        contentType: CLOUDEVENTS_CONTENT_TYPE,
        payload: { $ref: `./schemas/${schemaFileName(definition.type)}` },
      };
    }
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Sales pipeline events',
      version: '1.0.0',
      description: 'CloudEvents 1.0 (structured JSON mode) published by the sales pipeline services. Delivery is at least once: dedupe on the event id.',
    },
    defaultContentType: CLOUDEVENTS_CONTENT_TYPE,
    channels,
    operations,
    components: { messages },
  };
}
