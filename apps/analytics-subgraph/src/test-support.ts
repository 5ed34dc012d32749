import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createCloudEvent, TOPICS, type AnyPipelineEvent, type EventType, type EventDataMap } from '@pipeline/events';
import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { startTestService, testKafkaBrokers, waitForTopicLeaders, type TestService } from '@pipeline/testing';
import { analyticsService } from './server';

export const NOW = new Date('2027-01-01T00:00:00Z');
export const PIPELINE_ID = '00000000-0000-4000-8000-000000000001';

export const startAnalytics = (label: string, options: { topicPrefix?: string; consumerGroup?: string } = {}): Promise<TestService> =>
  startTestService(label, analyticsService({ config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false }, now: () => NOW, consumerGroup: options.consumerGroup, weeklyJobIntervalMs: 0 }), {
    topicPrefix: options.topicPrefix,
  });

const STAGES = [
  { key: 'QUALIFICATION', position: 1, category: 'OPEN' as const, probability: 0.1 },
  { key: 'PROPOSAL', position: 2, category: 'OPEN' as const, probability: 0.4 },
  { key: 'NEGOTIATION', position: 3, category: 'OPEN' as const, probability: 0.6 },
  { key: 'CLOSED_WON', position: 4, category: 'WON' as const, probability: 1 },
  { key: 'CLOSED_LOST', position: 5, category: 'LOST' as const, probability: 0 },
];

export interface Published {
  topic: string;
  key: string;
  event: AnyPipelineEvent;
}

export interface History {
  events: Published[];
  reps: Array<{ id: string; teamId: string }>;
  stageEventCount: number;
}

// A seeded, realistic history: reps in two teams, opportunities created over 2026 that advance, slip back, win or
// lose, in two currencies, plus leads by source of which some converted. Same seed, same history.
export function syntheticHistory(seed: number, opportunityCount: number): History {
  let state = seed;
  const random = () => ((state = (state * 48271) % 2147483647) / 2147483647);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const reps = [
    { id: randomUUID(), teamId: 'north' },
    { id: randomUUID(), teamId: 'north' },
    { id: randomUUID(), teamId: 'south' },
  ];
  const events: Published[] = [];
  const push = <T extends EventType>(topic: string, type: T, key: string, data: EventDataMap[T], time: Date) =>
    events.push({ topic, key, event: createCloudEvent({ type, source: '/test/history', subject: key, data, time }) as AnyPipelineEvent });
  reps.forEach((rep, index) =>
    push(TOPICS.repEvents, 'sales.rep.registered.v1', rep.id, { repId: rep.id, name: `Rep ${index}`, email: `rep${index}@example.com`, role: 'REP', teamId: rep.teamId, active: true, version: 1 }, new Date('2026-01-01')),
  );
  let stageEventCount = 0;
  for (let index = 0; index < opportunityCount; index += 1) {
    const id = randomUUID();
    const owner = pick(reps);
    const currency = random() < 0.7 ? 'EUR' : 'USD';
    const amount = { amount: (Math.round(random() * 90_000) + 1_000).toFixed(2), currency };
    const source = pick(['REFERRAL', 'EVENT', 'INBOUND'] as const);
    const industry = pick(['Software', 'Retail']);
    const createdAt = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 300) * 86_400_000 + Math.floor(random() * 86_400_000));
    const snapshot = (stage: (typeof STAGES)[number]) => ({
      name: `Opportunity ${index}`,
      accountName: `Account ${index}`,
      industry,
      amount,
      probability: stage.probability,
      ownerId: owner.id,
      leadId: null,
      leadSource: source,
      expectedCloseDate: null,
      createdAt: createdAt.toISOString(),
      status: stage.category,
    });
    let current = STAGES[0];
    let enteredAt = createdAt;
    let version = 1;
    push(TOPICS.stageChanged, 'sales.opportunity.stage_changed.v1', id, {
      opportunityId: id, pipelineId: PIPELINE_ID, fromStage: null, toStage: current.key, toStageCategory: 'OPEN', changedAt: createdAt.toISOString(), changedBy: owner.id,
      reason: null, version, previousStageEnteredAt: null, opportunity: snapshot(current), toStagePosition: current.position, stageSequence: version,
    }, createdAt);
    stageEventCount += 1;
    const steps = Math.floor(random() * 7);
    for (let step = 0; step < steps && current.category === 'OPEN'; step += 1) {
      const roll = random();
      const next =
        roll < 0.12 ? STAGES[4] : roll < 0.6 && current.position === 3 ? STAGES[3] : roll < 0.3 && current.position > 1 ? STAGES[current.position - 2] : STAGES[Math.min(current.position, 2)];
      if (next.key === current.key) continue;
      const at = new Date(enteredAt.getTime() + Math.floor(random() * 40 * 86_400_000) + 3_600_000);
      if (at >= NOW) break;
      version += 1;
      push(TOPICS.stageChanged, 'sales.opportunity.stage_changed.v1', id, {
        opportunityId: id, pipelineId: PIPELINE_ID, fromStage: current.key, toStage: next.key, toStageCategory: next.category, changedAt: at.toISOString(), changedBy: owner.id,
        reason: next.category === 'LOST' ? 'PRICE' : null, version, previousStageEnteredAt: enteredAt.toISOString(), opportunity: snapshot(next), toStagePosition: next.position,
        fromStagePosition: current.position, stageSequence: version,
      }, at);
      stageEventCount += 1;
      if (next.category === 'LOST') {
        push(TOPICS.dealEvents, 'sales.deal.closed.v1', id, {
          opportunityId: id, dealId: randomUUID(), occurredAt: at.toISOString(), actorId: owner.id, outcome: 'LOST', lostReason: pick(['PRICE', 'COMPETITOR'] as const),
          closeNote: null, closedAt: at.toISOString(), deferredUntil: null, amount, competitor: random() < 0.5 ? 'Globex' : null,
        }, at);
      }
      current = next;
      enteredAt = at;
    }
  }
  for (let index = 0; index < opportunityCount; index += 1) {
    const leadId = randomUUID();
    const source = pick(['REFERRAL', 'EVENT', 'INBOUND', 'SOCIAL_MEDIA'] as const);
    const createdAt = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 330) * 86_400_000);
    const lead = (status: 'NEW' | 'CONVERTED') => ({
      name: `Lead ${index}`, company: `Co ${index}`, email: null, industry: null, region: null, source, sourceDetail: null, status, score: 50,
      ownerId: pick(reps).id, ownerTeamId: null, estimatedValue: null, need: null, opportunityId: null, createdAt: createdAt.toISOString(),
    });
    push(TOPICS.leadEvents, 'sales.lead.created.v1', leadId, { leadId, version: 1, lead: lead('NEW') }, createdAt);
    if (random() < (source === 'REFERRAL' ? 0.6 : 0.2)) {
      push(TOPICS.leadEvents, 'sales.lead.converted.v1', leadId, { leadId, version: 2, lead: lead('CONVERTED'), opportunityId: randomUUID(), convertedAt: new Date(createdAt.getTime() + 86_400_000).toISOString() }, createdAt);
    }
  }
  return { events, reps, stageEventCount };
}

export async function publishAll(prefix: string, events: Published[]): Promise<void> {
  const kafka = new Kafka({ clientId: 'history', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
  await waitForTopicLeaders(kafka, [...new Set(events.map(({ topic }) => `${prefix}${topic}`))]);
  const producer = kafka.producer();
  await producer.connect();
  for (let start = 0; start < events.length; start += 500) {
    const byTopic = new Map<string, Array<{ key: string; value: string }>>();
    for (const { topic, key, event } of events.slice(start, start + 500)) byTopic.set(`${prefix}${topic}`, [...(byTopic.get(`${prefix}${topic}`) ?? []), { key, value: JSON.stringify(event) }]);
    await producer.sendBatch({ topicMessages: [...byTopic.entries()].map(([topic, messages]) => ({ topic, messages })) });
  }
  await producer.disconnect();
}
