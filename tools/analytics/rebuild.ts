import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';

import { createServiceProcess, SUBGRAPHS, waitForQuiet } from '@pipeline/dev-infra';
import { SYSTEM_ACTOR } from '@pipeline/domain';
import { dropDatabase, withDatabase } from '@pipeline/persistence';
import { serviceDatabaseUrl } from '@pipeline/server-kit';

import { subgraphGraphql } from '../lib/gateway-client';

// Rebuilds the analytics read models from the topics: a second analytics process replays every event from the
// beginning (new consumer group) into a fresh database, then its KPIs are compared with the live service's.
// --keep leaves the rebuilt database in place (to switch ANALYTICS_DATABASE_URL to it); otherwise it is dropped.
const KPIS = `{ pipelineMetrics { pipelineSize { openCount openAmount { amount currency } weightedAmount { amount currency } byStage { stage count } }
  wonCount lostCount winRate averageDealValue { amount currency } salesCycle { count meanDays medianDays p90Days }
  stageConversions { fromStage toStage entered advanced } bottlenecks { stage openCount medianDaysInStage stalledCount } leadConversion { source leads converted } } }`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      live: { type: 'string', default: 'http://127.0.0.1:4004/graphql' },
      port: { type: 'string', default: '4014' },
      keep: { type: 'boolean', default: false },
    },
  });
  const liveDatabase = serviceDatabaseUrl('analytics');
  const target = withDatabase(liveDatabase, `analytics_rebuild_${Date.now()}`);
  const group = `analytics-rebuild-${randomUUID().slice(0, 8)}`;
  const spec = SUBGRAPHS.find((candidate) => candidate.name === 'analytics');
  if (!spec) throw new Error('analytics service spec missing');
  const rebuild = createServiceProcess(
    spec,
    Number(values.port),
    { ...process.env, ANALYTICS_DATABASE_URL: target, ANALYTICS_CONSUMER_GROUP: group, LOG_LEVEL: 'warn' },
    'inherit',
    console.log,
  );
  const started = Date.now();
  await rebuild.start();
  try {
    console.log(`replaying the topics into ${new URL(target).pathname.slice(1)} (consumer group ${group})…`);
    await waitForQuiet({
      databaseUrls: [],
      brokers: process.env.KAFKA_BROKERS ?? '127.0.0.1:29092',
      topicPrefix: process.env.KAFKA_TOPIC_PREFIX ?? '',
      groupPrefix: `${process.env.KAFKA_TOPIC_PREFIX ?? ''}${group}`,
      timeoutMs: 3_600_000,
    });
    const rebuilt = await subgraphGraphql(rebuild.url, SYSTEM_ACTOR, KPIS);
    const live = await subgraphGraphql(values.live ?? '', SYSTEM_ACTOR, KPIS);
    const same = JSON.stringify(rebuilt) === JSON.stringify(live);
    console.log(`rebuilt in ${((Date.now() - started) / 1000).toFixed(1)} s; KPIs ${same ? 'equal the live read models' : 'DIFFER from the live read models'}`);
    if (!same) console.log(JSON.stringify({ live, rebuilt }, null, 2));
    process.exitCode = same ? 0 : 2;
  } finally {
    await rebuild.kill();
    if (!values.keep) await dropDatabase(target);
    else console.log(`kept ${target}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
