import { randomUUID } from 'node:crypto';

import { type AnyPipelineEvent, createCloudEvent, type EventType, type TypedCloudEvent } from '@pipeline/events';
import { ChunkCollector, type EventHandler } from '@pipeline/messaging';
import { type TestService, waitFor } from '@pipeline/testing';
import fc from 'fast-check';
import type { EntityManager } from 'typeorm';

import { ANALYTICS_HANDLERS } from '../server';
import { startAnalytics } from '../test-support';
import { metricsScope } from '../use-cases/shared/scope';
import { CURRENT_STATE, FAMILY, foldKpiContributions, grainSumsSql, kpiRows } from './kpi-rollups';
import { bottlenecks, pipelineSizesAsOf } from './metrics-repository';
import { rollupBottlenecks, rollupSizesAsOf } from './rollup-metrics';

const PIPELINE = '00000000-0000-4000-8000-000000000001';
const STAGES = [
  { key: 'QUALIFICATION', position: 1, category: 'OPEN' as const },
  { key: 'PROPOSAL', position: 2, category: 'OPEN' as const },
  { key: 'NEGOTIATION', position: 3, category: 'OPEN' as const },
  { key: 'CLOSED_WON', position: 4, category: 'WON' as const },
  { key: 'CLOSED_LOST', position: 5, category: 'LOST' as const },
];
const OWNERS = [randomUUID(), randomUUID(), null];
const DAY = 86_400_000;
const START = Date.parse('2026-03-01T00:00:00Z');

// One opportunity's life as arbitrary facts: stage moves (forward, back, closed), owner and amount changes on the way.
const opportunityLife = fc.array(
  fc.record({
    stage: fc.integer({ min: 0, max: 4 }),
    owner: fc.integer({ min: 0, max: 2 }),
    amount: fc.constantFrom('1000.00', '2500.50', null),
    hours: fc.integer({ min: 0, max: 24 * 40 }),
    minutes: fc.integer({ min: 0, max: 59 }),
    updated: fc.boolean(),
  }),
  { minLength: 1, maxLength: 5 },
);
const leadLife = fc.record({ owner: fc.integer({ min: 0, max: 2 }), converted: fc.boolean(), days: fc.integer({ min: 0, max: 60 }) });

function eventsOf(
  lives: Array<Array<{ stage: number; owner: number; amount: string | null; hours: number; minutes?: number; updated: boolean }>>,
  leads: Array<{ owner: number; converted: boolean; days: number }>,
): AnyPipelineEvent[] {
  const events: AnyPipelineEvent[] = [];
  const event = <T extends EventType>(type: T, subject: string, data: TypedCloudEvent<T>['data'], time: number) =>
    events.push(createCloudEvent({ type, source: '/test/rollups', subject, data, time: new Date(time) }) as AnyPipelineEvent);
  for (const life of lives) {
    const id = randomUUID();
    const createdAt = new Date(START).toISOString();
    let at = START;
    let previous: (typeof STAGES)[number] | null = null;
    life.forEach((step, index) => {
      at += step.hours * 3_600_000 + (step.minutes ?? 0) * 60_000;
      const stage = STAGES[step.stage];
      const snapshot = {
        name: `Opportunity ${id}`,
        accountName: 'Acme',
        industry: step.owner === 1 ? 'Retail' : 'Software',
        amount: step.amount ? { amount: step.amount, currency: 'EUR' } : null,
        probability: stage.position / 10,
        ownerId: OWNERS[step.owner],
        leadId: null,
        leadSource: step.owner === 0 ? ('REFERRAL' as const) : ('EVENT' as const),
        expectedCloseDate: null,
        createdAt,
      };
      const version = index + 1;
      if (step.updated && previous) {
        event(
          'sales.opportunity.updated.v1',
          id,
          {
            opportunityId: id,
            version,
            pipelineId: PIPELINE,
            stage: previous.key,
            stageCategory: previous.category,
            opportunity: snapshot,
            changes: ['amount', 'ownerId'],
          },
          at,
        );
        return;
      }
      event(
        'sales.opportunity.stage_changed.v1',
        id,
        {
          opportunityId: id,
          pipelineId: PIPELINE,
          fromStage: previous?.key ?? null,
          toStage: stage.key,
          toStageCategory: stage.category,
          changedAt: new Date(at).toISOString(),
          changedBy: null,
          reason: null,
          version,
          previousStageEnteredAt: null,
          opportunity: snapshot,
          toStagePosition: stage.position,
          stageSequence: version,
        },
        at,
      );
      previous = stage;
    });
  }
  for (const lead of leads) {
    const id = randomUUID();
    const createdAt = new Date(START + lead.days * DAY).toISOString();
    const snapshot = (status: 'NEW' | 'CONVERTED') => ({
      name: 'Lead',
      company: 'Co',
      email: null,
      industry: 'Retail',
      region: null,
      source: 'REFERRAL' as const,
      sourceDetail: null,
      status,
      score: 50,
      ownerId: OWNERS[lead.owner],
      ownerTeamId: null,
      estimatedValue: null,
      need: null,
      opportunityId: null,
      createdAt,
    });
    event('sales.lead.created.v1', id, { leadId: id, version: 1, lead: snapshot('NEW') }, Date.parse(createdAt));
    if (lead.converted)
      event(
        'sales.lead.converted.v1',
        id,
        { leadId: id, version: 2, lead: snapshot('CONVERTED'), opportunityId: randomUUID(), convertedAt: createdAt },
        Date.parse(createdAt),
      );
  }
  return events;
}

const KEY = 'grain, family, pipeline_id, owner_id, industry, lead_source, day, stay_pipeline_id, stage, position, currency, k, prev_day, flag';
const SUMS = 'sum(n)::bigint AS n, sum(n2)::bigint AS n2, sum(amount) AS amount, sum(weighted) AS weighted, sum(seconds) AS seconds';

// The rollups as queries see them (folded rows plus pending contributions), and as a sum over the current facts would give them.
async function rollupsBothWays(manager: EntityManager): Promise<[unknown[], unknown[]]> {
  const nonZero = 'HAVING sum(n) <> 0 OR sum(n2) <> 0 OR sum(amount) <> 0 OR sum(weighted) <> 0 OR sum(seconds) <> 0';
  const pending = grainSumsSql({ facts: 'kpi_fact_delta', stays: 'kpi_stay_delta', leads: 'kpi_lead_delta' });
  const kept = await manager.query(
    `SELECT ${KEY}, ${SUMS} FROM (SELECT ${KEY}, n, n2, amount, weighted, seconds FROM kpi_rollup UNION ALL ${pending}) r GROUP BY ${KEY} ${nonZero} ORDER BY ${KEY}`,
  );
  const recomputed = await manager.query(
    `SELECT ${KEY}, ${SUMS} FROM (${grainSumsSql(CURRENT_STATE)}) AS r(${KEY}, n, n2, amount, weighted, seconds) GROUP BY ${KEY} ${nonZero} ORDER BY ${KEY}`,
  );
  return [kept, recomputed];
}

// Events applied as the consumer applies one chunk: every handler, then the collected flushes, in the caller's transaction.
async function applyChunk(transaction: EntityManager, events: AnyPipelineEvent[]): Promise<void> {
  const collector = new ChunkCollector();
  for (const event of events) await (ANALYTICS_HANDLERS[event.type] as EventHandler)(event as TypedCloudEvent<EventType>, transaction, collector);
  await collector.flush(transaction);
}

describe('KPI rollups', () => {
  let subject: TestService;
  let manager: EntityManager;

  beforeAll(async () => {
    subject = await startAnalytics('rollups', { foldIntervalMs: 0 });
    manager = subject.service.dataSource.manager;
  });
  afterAll(async () => subject?.stop());

  // Forty sampled opportunity lives applied as one chunk, then folded.
  const applyAndFold = async (seed: number) => {
    const [lives] = fc.sample(fc.array(opportunityLife, { minLength: 40, maxLength: 40 }), { seed, numRuns: 1 });
    await manager.transaction((transaction) => applyChunk(transaction, eventsOf(lives, [])));
    await manager.transaction((transaction) => foldKpiContributions(transaction));
  };

  beforeEach(async () => {
    for (const table of ['kpi_rollup', 'kpi_fact_delta', 'kpi_stay_delta', 'kpi_lead_delta', 'opportunity_fact', 'stage_interval', 'stage_event', 'lead_fact'])
      await manager.query(`TRUNCATE ${table}`);
  });

  it('equal the sum of what the current facts contribute, whatever the arrival order, repeats, chunks and folds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opportunityLife, { minLength: 1, maxLength: 4 }),
        fc.array(leadLife, { maxLength: 3 }),
        fc.array(fc.integer({ min: 0, max: 1_000 }), { minLength: 40, maxLength: 40 }),
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 10 }),
        fc.array(fc.boolean(), { minLength: 10, maxLength: 10 }),
        async (lives, leads, order, chunkSizes, folds) => {
          // Arrange: the events in a shuffled order with some delivered twice, cut into chunks
          for (const table of [
            'kpi_rollup',
            'kpi_fact_delta',
            'kpi_stay_delta',
            'kpi_lead_delta',
            'opportunity_fact',
            'stage_interval',
            'stage_event',
            'lead_fact',
          ])
            await manager.query(`TRUNCATE ${table}`);
          const events = eventsOf(lives, leads);
          const delivered = [...events, ...events.filter((_event, index) => order[index % order.length] % 3 === 0)]
            .map((event, index) => ({ event, rank: order[index % order.length] * 1_000 + index }))
            .sort((a, b) => a.rank - b.rank)
            .map(({ event }) => event);

          // Act: each chunk in one transaction, as the consumer applies it; folds in between at random
          for (let start = 0, chunk = 0; start < delivered.length; chunk += 1) {
            const size = chunkSizes[chunk % chunkSizes.length];
            const slice = delivered.slice(start, start + size);
            start += size;
            await manager.transaction((transaction) => applyChunk(transaction, slice));
            if (folds[chunk % folds.length]) await manager.transaction((transaction) => foldKpiContributions(transaction));
          }

          // Assert
          const [kept, recomputed] = await rollupsBothWays(manager);
          expect(kept).toEqual(recomputed);
          expect(recomputed.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('count each of two opportunities whose recorded contributions are equal, folded together', async () => {
    // Arrange: two opportunities with the same life record contribution rows equal in every column
    const life = [
      { stage: 0, owner: 0, amount: '1000.00', hours: 1, updated: false },
      { stage: 1, owner: 0, amount: '1000.00', hours: 30, updated: false },
    ];
    await manager.transaction((transaction) => applyChunk(transaction, eventsOf([life, life], [])));

    // Act
    await manager.transaction((transaction) => foldKpiContributions(transaction));

    // Assert
    const [kept, recomputed] = await rollupsBothWays(manager);
    expect(kept).toEqual(recomputed);
    expect(recomputed).toContainEqual(expect.objectContaining({ grain: 3, family: FAMILY.open, n: '2' }));
  });

  it('equal the facts when two partitions project the same opportunity side by side: the second waits for the first', async () => {
    // Arrange: an opportunity in QUALIFICATION; then a stage change (one topic) and an amount change (another) for it
    const [created, moved, updated] = eventsOf(
      [
        [
          { stage: 0, owner: 0, amount: '1000.00', hours: 1, updated: false },
          { stage: 1, owner: 0, amount: '1000.00', hours: 2, updated: false },
          { stage: 1, owner: 1, amount: '2500.50', hours: 3, updated: true },
        ],
      ],
      [],
    );
    await manager.transaction((transaction) => applyChunk(transaction, [created]));
    let firstApplied: () => void = () => undefined;
    const firstHasApplied = new Promise<void>((resolve) => (firstApplied = resolve));
    let secondPid = 0;

    // Act: the first transaction stays open until the second is seen waiting for a lock
    const first = manager.transaction(async (transaction) => {
      await applyChunk(transaction, [moved]);
      firstApplied();
      await waitFor(async () => secondPid > 0 && (await manager.query('SELECT 1 FROM pg_locks WHERE pid = $1 AND NOT granted', [secondPid])).length > 0, {
        what: 'the second projection to wait',
        timeoutMs: 15_000,
      });
    });
    await firstHasApplied;
    const second = manager.transaction(async (transaction) => {
      secondPid = (await transaction.query('SELECT pg_backend_pid() AS pid'))[0].pid;
      await applyChunk(transaction, [updated]);
    });
    await Promise.all([first, second]);

    // Assert
    const [kept, recomputed] = await rollupsBothWays(manager);
    expect(kept).toEqual(recomputed);
    expect(recomputed.length).toBeGreaterThan(0);
  });

  it('let two partitions project different opportunities side by side, neither waiting for the other', async () => {
    // Arrange: two opportunities' first stage changes
    const [one, other] = eventsOf(
      [[{ stage: 0, owner: 0, amount: '1000.00', hours: 1, updated: false }], [{ stage: 1, owner: 1, amount: '2500.50', hours: 2, updated: false }]],
      [],
    );
    let firstApplied: () => void = () => undefined;
    const firstHasApplied = new Promise<void>((resolve) => (firstApplied = resolve));
    let secondCommitted = false;

    // Act: the first transaction stays open until the second has committed
    const first = manager.transaction(async (transaction) => {
      await applyChunk(transaction, [one]);
      firstApplied();
      await waitFor(() => secondCommitted, { what: 'the second projection to commit while the first is open', timeoutMs: 15_000 });
    });
    await firstHasApplied;
    await manager.transaction((transaction) => applyChunk(transaction, [other]));
    secondCommitted = true;
    await first;

    // Assert
    const [kept, recomputed] = await rollupsBothWays(manager);
    expect(kept).toEqual(recomputed);
    expect(recomputed.length).toBeGreaterThan(0);
  });

  it("give the open pipeline at any instant as the facts do, from the day rollup and the stays of the instant's own day", async () => {
    // Arrange: stays entered and left at any minute over weeks, folded; several instants a day, at other minutes
    await applyAndFold(16);
    const instants = Array.from({ length: 1_500 }, (_, index) => new Date(START + index * 83 * 60_000 + (index % 7) * 1_000));
    const scope = metricsScope({ userId: randomUUID(), roles: ['ADMIN'], teamId: null }, {});

    // Act
    const fromRollups = await rollupSizesAsOf(manager, scope, instants);
    const fromFacts = await pipelineSizesAsOf(manager, scope, instants);

    // Assert: equal at every instant, and the pipeline did change within days (so the same-day stays were counted)
    expect(fromRollups).toEqual(fromFacts);
    const counts = fromFacts.map((size) => size.openCount);
    expect(counts.some((count, index) => index > 0 && count !== counts[index - 1] && instants[index].getUTCDate() === instants[index - 1].getUTCDate())).toBe(
      true,
    );
  });

  it('count stalled opportunities at any instant as the facts do, from day and hour rollups and the facts of one hour', async () => {
    // Arrange: opportunities entering stages at any minute over weeks, folded; instants at other minutes
    await applyAndFold(14);
    // every 83 minutes for 115 days: thresholds land in hours with entries, before and after them
    const instants = Array.from({ length: 2_000 }, (_, index) => new Date(START + index * 83 * 60_000 + (index % 7) * 1_000));
    const scope = metricsScope({ userId: randomUUID(), roles: ['ADMIN'], teamId: null }, {});

    // Act: a series (grain 0, days before the threshold) and single instants (grain 3, days after it)
    const fromRollups = await rollupBottlenecks(manager, scope, 0, instants, Number.POSITIVE_INFINITY);
    const fromFacts = await bottlenecks(manager, scope, instants);
    const singles = instants.filter((_instant, index) => index % 3 === 0);
    const singlesFromRollups = await Promise.all(singles.map((instant) => rollupBottlenecks(manager, scope, 3, [instant], Number.POSITIVE_INFINITY)));

    // Assert
    const stalled = (periods: Array<Array<{ stage: string; stalledCount: number }>>) => periods.map((stages) => stages.map((s) => [s.stage, s.stalledCount]));
    expect(stalled(fromRollups)).toEqual(stalled(fromFacts));
    expect(stalled(singlesFromRollups.flat())).toEqual(stalled(fromFacts.filter((_period, index) => index % 3 === 0)));
    expect(fromFacts.flat().some((stage) => stage.stalledCount > 0)).toBe(true);
  });

  it("count a team's stalled opportunities at any instant as the facts do, from the owner rollup and the facts since the threshold's day", async () => {
    // Arrange: the same kind of lives, the first owner in team north, the second in another team
    await manager.query('TRUNCATE rep_fact');
    await manager.query(
      `INSERT INTO rep_fact (rep_id, name, team_id, active, version) VALUES ($1, 'North rep', 'north', true, 1), ($2, 'South rep', 'south', true, 1)`,
      [OWNERS[0], OWNERS[1]],
    );
    await applyAndFold(15);
    const instants = Array.from({ length: 300 }, (_, index) => new Date(START + index * 557 * 60_000 + (index % 7) * 1_000));
    const admin = { userId: randomUUID(), roles: ['ADMIN' as const], teamId: null };
    const scopes = [metricsScope(admin, { teamId: 'north' }), metricsScope({ userId: randomUUID(), roles: ['MANAGER'], teamId: 'north' }, {})];

    for (const scope of scopes) {
      // Act: one instant at a time at grain 1 (owners, all time), against the facts
      const fromRollups = await Promise.all(instants.map((instant) => rollupBottlenecks(manager, scope, 1, [instant], Number.POSITIVE_INFINITY)));
      const fromFacts = await bottlenecks(manager, scope, instants);

      // Assert
      const stalled = (periods: Array<Array<{ stage: string; stalledCount: number }>>) => periods.map((stages) => stages.map((s) => [s.stage, s.stalledCount]));
      expect(stalled(fromRollups.flat())).toEqual(stalled(fromFacts));
      expect(fromFacts.flat().some((stage) => stage.stalledCount > 0)).toBe(true);
    }
  });

  it('are read the same by queries before and after a fold', async () => {
    // Arrange: facts whose contributions are recorded but not folded (as after a large chunk)
    const events = eventsOf(
      [
        [
          { stage: 0, owner: 0, amount: '1000.00', hours: 1, updated: false },
          { stage: 3, owner: 0, amount: '1000.00', hours: 30, updated: false },
        ],
      ],
      [{ owner: 0, converted: true, days: 2 }],
    );
    await manager.transaction((transaction) => applyChunk(transaction, events));
    await manager.query('TRUNCATE kpi_rollup, kpi_fact_delta, kpi_stay_delta, kpi_lead_delta');
    await manager.query(`INSERT INTO kpi_fact_delta SELECT * FROM ${CURRENT_STATE.facts} s`);
    await manager.query(`INSERT INTO kpi_stay_delta SELECT * FROM ${CURRENT_STATE.stays} s`);
    await manager.query(`INSERT INTO kpi_lead_delta SELECT * FROM ${CURRENT_STATE.leads} s`);
    const read = () =>
      manager.query(`SELECT family, sum(n)::int AS n FROM ${kpiRows(1, Object.values(FAMILY))} r GROUP BY family HAVING sum(n) <> 0 ORDER BY family`);

    // Act
    const pending = await read();
    await manager.transaction((transaction) => foldKpiContributions(transaction));
    const folded = await read();

    // Assert
    expect(pending).toEqual(folded);
    expect(folded.map((row: { family: number }) => row.family)).toEqual([
      FAMILY.closed,
      FAMILY.cycle,
      FAMILY.conversion,
      FAMILY.presence,
      FAMILY.dwell,
      FAMILY.lead,
    ]);
    expect(await manager.query('SELECT count(*)::int AS count FROM kpi_stay_delta')).toEqual([{ count: 0 }]);
  });

  it("are read from the index alone where one covers a query's columns: pending rows take the rollup's column types", async () => {
    // Arrange: a team's bottleneck read (open counts and dwell histograms per owner), with the scans that avoid the index off
    const query = `SELECT r.family, r.stage, r.position, r.k, sum(r.n) AS n FROM ${kpiRows(1, [FAMILY.open, FAMILY.dwell])} r
      WHERE r.owner_id = ANY($1::uuid[]) GROUP BY 1, 2, 3, 4`;

    // Act
    const plan = await manager.transaction(async (transaction) => {
      await transaction.query('SET LOCAL enable_seqscan = off');
      await transaction.query('SET LOCAL enable_bitmapscan = off');
      const [row] = await transaction.query(`EXPLAIN (FORMAT JSON) ${query}`, [[OWNERS[0]]]);
      return JSON.stringify(row['QUERY PLAN']);
    });

    // Assert: a union PostgreSQL cannot flatten (a column typed differently in one branch) fetches every column from the heap
    expect(plan).toMatch(/"Node Type":"Index Only Scan"[^}]*"Relation Name":"kpi_rollup_grain_1"/);
  });
});
