import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';

import { topicOffsets } from './kafka-offsets';
import { waitUntil } from './workspace';

async function pendingOutbox(url: string): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL AND parked_at IS NULL AND discarded_at IS NULL')).rows[0]
      .count;
  } finally {
    await client.end();
  }
}

// Lag over the partitions each live group member is assigned (a new group with no commit yet has the full lag).
async function consumerLag(kafka: Kafka, groupPrefix: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const groupIds = (await admin.listGroups()).groups.map((group) => group.groupId).filter((groupId) => groupId.startsWith(groupPrefix));
    if (groupIds.length === 0) return 0;
    let lag = 0;
    for (const group of (await admin.describeGroups(groupIds)).groups) {
      const assigned = new Map<string, Set<number>>();
      for (const member of group.members) {
        const decoded = AssignerProtocol.MemberAssignment.decode(member.memberAssignment);
        for (const [topic, partitions] of Object.entries(decoded?.assignment ?? {})) {
          for (const partition of partitions) assigned.set(topic, (assigned.get(topic) ?? new Set()).add(partition));
        }
      }
      if (assigned.size === 0) continue;
      for (const { topic, partitions } of await admin.fetchOffsets({ groupId: group.groupId, topics: [...assigned.keys()] })) {
        const ends = await topicOffsets(admin, topic);
        for (const { partition, offset } of partitions) {
          if (!assigned.get(topic)?.has(partition)) continue;
          const end = Number(ends.find((entry) => entry.partition === partition)?.offset ?? 0);
          lag += Math.max(0, end - Math.max(0, Number(offset)));
        }
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

// Until every outbox is published and every consumer group of the namespace has caught up: the system is at rest.
export async function waitForQuiet(options: {
  databaseUrls: string[];
  brokers: string;
  topicPrefix: string;
  groupPrefix?: string;
  timeoutMs?: number;
}): Promise<void> {
  const kafka = new Kafka({ clientId: 'quiet-probe', brokers: options.brokers.split(','), logLevel: logLevel.NOTHING });
  await waitUntil(
    async () => {
      const outboxes = await Promise.all(options.databaseUrls.map(pendingOutbox));
      return outboxes.every((count) => count === 0) && (await consumerLag(kafka, options.groupPrefix ?? options.topicPrefix)) === 0;
    },
    options.timeoutMs ?? 600_000,
    'the stack to settle (outboxes published, consumers caught up)',
    300,
  );
}
