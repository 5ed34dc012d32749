import { TOPICS } from '@pipeline/events';
import { adminActor, expectNoErrors, TopicReader, waitFor } from '@pipeline/testing';

import { broker, callAs, sql, topicPrefix } from './faults-env';
import { createOpportunity, move } from './scenario';

describe('Kafka stopped while mutations keep coming, then restarted', () => {
  it('delivers every committed stage change to the topic and to analytics, none twice', async () => {
    // Arrange
    const admin = await callAs(adminActor());
    const kafka = await broker();
    const before = await createOpportunity(admin);

    // Act 1: the broker goes away; the API keeps accepting changes
    await kafka.stop();
    const during: string[] = [];
    let moves = 0;
    try {
      for (let index = 0; index < 15; index += 1) {
        const id = await createOpportunity(admin);
        during.push(id);
        expectNoErrors(await move(admin, id, 'PROPOSAL'));
        moves += 1;
      }
      expectNoErrors(await move(admin, before, 'PROPOSAL'));
      moves += 1;
      const pending = await sql('opportunity', 'SELECT count(*)::int AS count FROM outbox WHERE published_at IS NULL');
      expect(pending[0].count).toBeGreaterThan(0);
    } finally {
      // Act 2: the broker comes back
      await kafka.restart();
    }

    // Assert: every change is on the analysts' stream once, and in analytics once
    const produced = during.length + moves;
    const ids = new Set([before, ...during]);
    const reader = new TopicReader([`${topicPrefix()}${TOPICS.stageChanged}`]);
    await reader.start();
    const delivered = await waitFor(
      () => {
        const mine = reader.parsed<any>().filter(({ event }) => ids.has(event.subject) && (event.data.fromStage !== null || event.subject !== before));
        return mine.length >= produced ? mine : null;
      },
      { timeoutMs: 120_000, what: 'every change on the topic' },
    );
    await reader.stop();
    const eventIds = delivered.map(({ event }) => event.id);
    expect(new Set(eventIds).size).toBe(produced);
    await waitFor(
      async () =>
        (await sql('analytics', 'SELECT count(*)::int AS count FROM stage_event WHERE opportunity_id = ANY($1::uuid[])', [[...ids]]))[0].count === produced + 1,
      {
        timeoutMs: 120_000,
        what: 'analytics to ingest every change',
      },
    );
    const facts = await sql('analytics', `SELECT stage, count(*)::int AS count FROM opportunity_fact WHERE opportunity_id = ANY($1::uuid[]) GROUP BY stage`, [
      [...ids],
    ]);
    expect(facts).toEqual([{ stage: 'PROPOSAL', count: ids.size }]);
    const processed = await sql('analytics', `SELECT count(*)::int AS count FROM processed_event WHERE event_id = ANY($1::text[])`, [eventIds]);
    expect(processed[0].count).toBe(produced);
    console.log(
      `Kafka outage: ${produced} stage changes committed while the broker was down; ${new Set(eventIds).size} delivered to the topic, ${processed[0].count} applied by analytics.`,
    );

    // And the system is healthy again: a fresh change flows through at once
    const after = await createOpportunity(admin);
    await waitFor(async () => (await sql('analytics', 'SELECT 1 FROM opportunity_fact WHERE opportunity_id = $1', [after])).length === 1, {
      timeoutMs: 30_000,
      what: 'a new change after recovery',
    });
  });
});
