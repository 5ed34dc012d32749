import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Client } from 'pg';
import { createCloudEvent, TOPICS } from '@pipeline/events';
import { expectNoErrors, testKafkaBrokers } from '@pipeline/testing';
import { percentiles, result, timed, type BenchResult } from './bench-kit';
import type { BenchStack } from './bench-stack';

const STAGES = [
  { key: 'QUALIFICATION', category: 'OPEN' as const, probability: 0.1, position: 1 },
  { key: 'PROPOSAL', category: 'OPEN' as const, probability: 0.4, position: 2 },
  { key: 'NEGOTIATION', category: 'OPEN' as const, probability: 0.6, position: 3 },
  { key: 'CLOSED_WON', category: 'WON' as const, probability: 1, position: 4 },
  { key: 'CLOSED_LOST', category: 'LOST' as const, probability: 0, position: 5 },
];

// Stage-changed events for `count` opportunities (creation plus 0 to 3 moves each), as the opportunity service emits them.
function* stageEvents(count: number): Generator<{ key: string; value: string }> {
  let seed = 17;
  const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
  for (let index = 0; index < count; index += 1) {
    const id = randomUUID();
    const createdAt = Date.UTC(2025, 0, 1) + Math.floor(random() * 700) * 86_400_000;
    const amount = { amount: (1_000 + Math.floor(random() * 90_000)).toFixed(2), currency: random() < 0.8 ? 'EUR' : 'USD' };
    let at = createdAt;
    let previous: (typeof STAGES)[number] | null = null;
    const path = [STAGES[0], ...STAGES.slice(1, 1 + Math.floor(random() * 3))];
    if (path.length === 3 && random() < 0.5) path.push(random() < 0.5 ? STAGES[3] : STAGES[4]);
    for (const [version, stage] of path.entries()) {
      const changedAt = new Date(at).toISOString();
      const data = {
        opportunityId: id,
        pipelineId: '00000000-0000-4000-8000-000000000001',
        fromStage: previous?.key ?? null,
        toStage: stage.key,
        toStageCategory: stage.category,
        changedAt,
        changedBy: null,
        reason: stage.category === 'LOST' ? 'PRICE' : null,
        version: version + 1,
        previousStageEnteredAt: previous ? new Date(at - 86_400_000).toISOString() : null,
        toStagePosition: stage.position,
        stageSequence: version + 1,
        opportunity: { name: `Opportunity ${index}`, accountName: `Account ${index % 5_000}`, industry: 'Software', amount, probability: stage.probability, ownerId: null, leadId: null, leadSource: 'INBOUND' as const, expectedCloseDate: null, createdAt: new Date(createdAt).toISOString(), status: stage.category },
      };
      yield { key: id, value: JSON.stringify(createCloudEvent({ type: 'sales.opportunity.stage_changed.v1', source: '/bench', subject: id, data, time: new Date(changedAt) })) };
      previous = stage;
      at += Math.floor(random() * 20 + 1) * 86_400_000;
    }
  }
}

// Event ingestion by the analytics service against a plain kafkajs consumer reading the same events (transport only),
// then pipelineMetrics latency at that volume against a plain count(*) of the same read model.
export async function benchAnalyticsIngestion(stack: BenchStack, opportunities = 100_000): Promise<BenchResult[]> {
  const topic = `${stack.topicPrefix}${TOPICS.stageChanged}`;
  const kafka = new Kafka({ clientId: 'bench', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
  const analytics = new Client({ connectionString: stack.databaseUrl('analytics') });
  await analytics.connect();
  const [{ count: before }] = (await analytics.query('SELECT count(*)::int AS count FROM stage_event')).rows;

  await stack.stack.services.analytics.kill('SIGTERM');
  const producer = kafka.producer();
  await producer.connect();
  let total = 0;
  let batch: Array<{ key: string; value: string }> = [];
  for (const message of stageEvents(opportunities)) {
    batch.push(message);
    if (batch.length === 2_000) {
      await producer.send({ topic, messages: batch });
      total += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await producer.send({ topic, messages: batch });
  total += batch.length;
  await producer.disconnect();

  const transport = await timed(async () => {
    const consumer = kafka.consumer({ groupId: `bench-baseline-${randomUUID()}`, maxWaitTimeInMs: 200 });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachBatch: async ({ batch: received }) => {
          for (const message of received.messages) JSON.parse(message.value?.toString() ?? 'null');
          seen += received.messages.length;
          if (seen >= before + total) resolve();
        },
      });
    });
    await consumer.disconnect();
  });

  const ingestion = await timed(async () => {
    await stack.stack.services.analytics.start();
    for (;;) {
      const [{ count }] = (await analytics.query('SELECT count(*)::int AS count FROM stage_event')).rows;
      if (count >= before + total) return;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });

  // Planner statistics as autovacuum would have gathered them by now; this machine's PostgreSQL runs with autovacuum off.
  await analytics.query('ANALYZE');
  const query = `{ pipelineMetrics { pipelineSize { openCount openAmount { amount currency } byStage { stage count } } wonCount lostCount winRate averageDealValue { amount } salesCycle { medianDays p90Days } stageConversions { rate } bottlenecks { stalledCount } } }`;
  expectNoErrors(await stack.admin(query));
  const kpi: number[] = [];
  for (let run = 0; run < 10; run += 1) kpi.push((await timed(async () => expectNoErrors(await stack.admin(query)))).seconds * 1000);
  const counts: number[] = [];
  for (let run = 0; run < 10; run += 1) counts.push((await timed(() => analytics.query('SELECT count(*) FROM opportunity_fact'))).seconds * 1000);
  const [{ facts }] = (await analytics.query('SELECT count(*)::int AS facts FROM opportunity_fact')).rows;
  await analytics.end();

  return [
    result('analytics-ingestion', 'events/s', total / ingestion.seconds, 'plain kafkajs consumer reading the same events', total / transport.seconds, {
      opportunities,
      events: total,
      ingestionSeconds: ingestion.seconds.toFixed(1),
      transportSeconds: transport.seconds.toFixed(1),
      opportunityFacts: facts,
    }),
    result('kpi-query', 'queries/s', 1000 / percentiles(kpi).p50, 'SELECT count(*) on the read model', 1000 / percentiles(counts).p50, {
      opportunityFacts: facts,
      pipelineMetricsLatencyMs: percentiles(kpi),
      countLatencyMs: percentiles(counts),
    }),
  ];
}
