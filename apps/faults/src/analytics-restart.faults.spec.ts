import { randomUUID } from 'node:crypto';

import { dropDatabase, withDatabase } from '@pipeline/persistence';
import { adminActor, expectNoErrors, subgraphClient, waitFor } from '@pipeline/testing';

import { callAs, killByPort, serviceProcess, sql } from './faults-env';
import { createOpportunity, move } from './scenario';

const METRICS = `{ pipelineMetrics { pipelineSize { openCount openAmount { amount currency } byStage { stage count } } wonCount lostCount winRate stageConversions { fromStage entered advanced } } }`;

describe('the analytics subgraph killed mid-stream', () => {
  it('resumes from its committed offsets after a restart, and its KPIs equal a rebuild from scratch', async () => {
    // Arrange: changes keep coming while analytics is killed and restarted
    const admin = await callAs(adminActor());
    const analytics = serviceProcess('analytics');
    const opportunities: string[] = [];
    const work = (async () => {
      for (let index = 0; index < 30; index += 1) {
        const id = await createOpportunity(admin);
        opportunities.push(id);
        if (index % 2 === 0) expectNoErrors(await move(admin, id, 'PROPOSAL'));
        if (index % 5 === 0) expectNoErrors(await move(admin, id, 'CLOSED_LOST', undefined, 'No budget'));
      }
    })();

    // Act 1: kill -9 while events flow, then start it again
    await waitFor(() => opportunities.length >= 8, { what: 'events flowing' });
    await killByPort('analytics', 'SIGKILL');
    await waitFor(() => opportunities.length >= 16, { timeoutMs: 60_000, what: 'more events while analytics is down' });
    await analytics.start();
    await work;
    await waitFor(
      async () =>
        (await sql('analytics', 'SELECT count(*)::int AS count FROM opportunity_fact WHERE opportunity_id = ANY($1::uuid[])', [opportunities]))[0].count === 30,
      {
        timeoutMs: 60_000,
        what: 'the restarted analytics to catch up',
      },
    );

    // Act 2: a second analytics replays the topics from the beginning into a fresh database
    const rebuildDatabase = withDatabase(process.env.TEST_DATABASE_URL as string, `rebuild_${randomUUID().slice(0, 8)}`);
    process.env.FAULTS_EXTRA_PORT = String(4950 + Math.floor(Math.random() * 40));
    const rebuild = serviceProcess(
      'analytics',
      { ANALYTICS_DATABASE_URL: rebuildDatabase, ANALYTICS_CONSUMER_GROUP: `rebuild-${randomUUID().slice(0, 8)}` },
      Number(process.env.FAULTS_EXTRA_PORT),
    );
    await rebuild.start();
    try {
      const live = subgraphClient(analytics.url, adminActor());
      const replayed = subgraphClient(rebuild.url, adminActor());
      const liveCount = async () => expectNoErrors(await live<any>(`{ stageChangeEvents(first: 1) { totalCount } }`)).stageChangeEvents.totalCount;
      const replayedCount = async () => expectNoErrors(await replayed<any>(`{ stageChangeEvents(first: 1) { totalCount } }`)).stageChangeEvents.totalCount;
      await waitFor(async () => (await replayedCount()) === (await liveCount()), { timeoutMs: 120_000, what: 'the rebuild to catch up' });

      // Assert
      expect(expectNoErrors(await replayed<any>(METRICS))).toEqual(expectNoErrors(await live<any>(METRICS)));
      const duplicates = await sql(
        'analytics',
        `SELECT count(*)::int AS count FROM (SELECT event_id FROM processed_event GROUP BY consumer, event_id HAVING count(*) > 1) d`,
      );
      expect(duplicates[0].count).toBe(0);
    } finally {
      await rebuild.kill();
      await dropDatabase(rebuildDatabase);
    }
  });
});
