import { randomUUID } from 'node:crypto';

import type { TestService } from '@pipeline/testing';
import fc from 'fast-check';
import type { EntityManager } from 'typeorm';

import { startAnalytics } from '../test-support';
import {
  applyDealOutcomes,
  applyLeadStates,
  applyOpportunityStates,
  type DealOutcome,
  insertStageEvents,
  type LeadState,
  type OpportunityState,
  STAGE_EVENTS_INLINE_AT_MOST,
  type StageEventRow,
} from './projections';

const AT = ['2026-03-01T10:00:00.000Z', '2026-03-02T10:00:00.000Z', '2026-03-03T10:00:00.000Z', '2026-03-04T10:00:00.000Z'];

// A chunk applied in one statement must end where the same events applied one by one (the per-event fallback) end.
describe('set-based projections', () => {
  let subject: TestService;
  let manager: EntityManager;

  beforeAll(async () => {
    subject = await startAnalytics('projections');
    manager = subject.service.dataSource.manager;
  });
  afterAll(async () => subject?.stop());

  async function bothWays<T>(stored: T[], chunk: T[], apply: (items: T[]) => Promise<void>): Promise<void> {
    for (const item of stored) await apply([item]);
    await apply(chunk);
  }

  const dealOutcome = fc.oneof(
    fc.record({
      kind: fc.constant('closed' as const),
      outcome: fc.constantFrom('WON', 'LOST'),
      amount: fc.constantFrom('100.0000', '250.5000', null),
      at: fc.constantFrom(...AT),
    }),
    fc.record({ kind: fc.constant('reopened' as const), at: fc.constantFrom(...AT) }),
  );
  const toOutcome =
    (opportunityId: string) =>
    (item: { kind: 'closed' | 'reopened'; at: string; outcome?: string; amount?: string | null }): DealOutcome =>
      item.kind === 'reopened'
        ? { kind: 'reopened', opportunityId, occurredAt: item.at }
        : {
            kind: 'closed',
            opportunityId,
            outcome: item.outcome as string,
            lostReason: item.outcome === 'LOST' ? 'PRICE' : null,
            competitor: null,
            closedAt: item.at,
            amount: item.amount ?? null,
            currency: item.amount ? 'EUR' : null,
            occurredAt: item.at,
          };

  it('ends deal outcomes in the same state as one-by-one application, whatever the order and repeats', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(dealOutcome, { maxLength: 2 }), fc.array(dealOutcome, { minLength: 1, maxLength: 6 }), async (stored, chunk) => {
        // Arrange
        const [batched, oneByOne] = [randomUUID(), randomUUID()];

        // Act
        await bothWays(stored.map(toOutcome(batched)), chunk.map(toOutcome(batched)), (items) => applyDealOutcomes(manager, items));
        for (const item of [...stored, ...chunk].map(toOutcome(oneByOne))) await applyDealOutcomes(manager, [item]);

        // Assert
        const rows = await manager.query(
          `SELECT opportunity_id, outcome, lost_reason, closed_at, amount, currency, occurred_at FROM deal_fact WHERE opportunity_id = ANY($1::uuid[])`,
          [[batched, oneByOne]],
        );
        const [a, b] = [batched, oneByOne].map((id) => rows.find((row: { opportunity_id: string }) => row.opportunity_id === id));
        expect({ ...a, opportunity_id: null }).toEqual({ ...b, opportunity_id: null });
      }),
      {
        numRuns: 40,
        // A late close behind a reopen: one by one it is skipped, so the stored amount stays.
        examples: [
          [
            [{ kind: 'closed', outcome: 'WON', amount: '100.0000', at: AT[0] }],
            [
              { kind: 'reopened', at: AT[3] },
              { kind: 'closed', outcome: 'LOST', amount: '250.5000', at: AT[2] },
            ],
          ],
        ],
      },
    );
  });

  const leadEvent = fc.record({
    version: fc.integer({ min: 1, max: 4 }),
    status: fc.constantFrom('NEW', 'QUALIFIED', 'CONVERTED'),
    score: fc.integer({ min: 0, max: 100 }),
    converted: fc.constantFrom(...AT, null),
    opportunity: fc.constantFrom('00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b', null),
  });
  const toLeadState =
    (leadId: string) =>
    (item: { version: number; status: string; score: number; converted: string | null; opportunity: string | null }): LeadState => ({
      leadId,
      version: item.version,
      source: 'INBOUND',
      status: item.status,
      ownerId: null,
      industry: null,
      region: null,
      score: item.score,
      createdAt: AT[0],
      convertedAt: item.converted,
      opportunityId: item.opportunity,
    });

  it('ends lead facts in the same state as one-by-one application, whatever the order and repeats', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(leadEvent, { maxLength: 2 }), fc.array(leadEvent, { minLength: 1, maxLength: 6 }), async (stored, chunk) => {
        // Arrange
        const [batched, oneByOne] = [randomUUID(), randomUUID()];

        // Act
        await bothWays(stored.map(toLeadState(batched)), chunk.map(toLeadState(batched)), (items) => applyLeadStates(manager, items));
        for (const item of [...stored, ...chunk].map(toLeadState(oneByOne))) await applyLeadStates(manager, [item]);

        // Assert
        const rows = await manager.query(
          `SELECT lead_id, version, status, score, converted_at, opportunity_id FROM lead_fact WHERE lead_id = ANY($1::uuid[])`,
          [[batched, oneByOne]],
        );
        const [a, b] = [batched, oneByOne].map((id) => rows.find((row: { lead_id: string }) => row.lead_id === id));
        expect({ ...a, lead_id: null }).toEqual({ ...b, lead_id: null });
      }),
      { numRuns: 40 },
    );
  });

  const opportunityEvent = fc.record({
    version: fc.integer({ min: 1, max: 4 }),
    stage: fc.constantFrom('QUALIFICATION', 'PROPOSAL'),
    at: fc.constantFrom(...AT),
    amount: fc.constantFrom('10.0000', '20.0000'),
  });
  const toOpportunityState =
    (opportunityId: string) =>
    (item: { version: number; stage: string; at: string; amount: string }): OpportunityState => ({
      opportunityId,
      version: item.version,
      pipelineId: '00000000-0000-4000-8000-000000000001',
      stage: item.stage,
      stageCategory: 'OPEN',
      snapshot: {
        name: `v${item.version}`,
        accountName: 'Acme',
        amount: { amount: item.amount, currency: 'EUR' },
        probability: 0.2,
        ownerId: null,
        industry: null,
        region: null,
        leadId: null,
        leadSource: null,
        expectedCloseDate: null,
        createdAt: AT[0],
      },
      at: item.at,
    });

  it('seeds and updates opportunity facts as one-by-one application does, whatever the order and repeats', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opportunityEvent, { minLength: 1, maxLength: 6 }), async (chunk) => {
        // Arrange
        const [batched, oneByOne] = [randomUUID(), randomUUID()];

        // Act
        await applyOpportunityStates(manager, chunk.map(toOpportunityState(batched)));
        for (const item of chunk.map(toOpportunityState(oneByOne))) await applyOpportunityStates(manager, [item]);

        // Assert
        const rows = await manager.query(
          `SELECT opportunity_id, version, stage, name, amount, stage_entered_at FROM opportunity_fact WHERE opportunity_id = ANY($1::uuid[])`,
          [[batched, oneByOne]],
        );
        const [a, b] = [batched, oneByOne].map((id) => rows.find((row: { opportunity_id: string }) => row.opportunity_id === id));
        expect({ ...a, opportunity_id: null }).toEqual({ ...b, opportunity_id: null });
      }),
      { numRuns: 40 },
    );
  });

  // Live chunks are inserted with their rows as one JSON parameter, backlog chunks through COPY: the rows must not differ.
  it('keeps the same stage event rows whether a chunk is inserted inline or through COPY, each event id once', async () => {
    // Arrange
    const event = (opportunityId: string, version: number): StageEventRow => ({
      eventId: randomUUID(),
      data: {
        opportunityId,
        pipelineId: '00000000-0000-4000-8000-000000000001',
        fromStage: version === 1 ? null : 'QUALIFICATION',
        toStage: 'PROPOSAL',
        toStageCategory: 'OPEN',
        toStagePosition: version === 1 ? undefined : 2,
        changedAt: AT[version % AT.length],
        changedBy: version === 1 ? null : 'rep\twith\\odd\ncharacters',
        reason: version === 2 ? 'Scoped "quoted" \u00e9' : null,
        version,
        previousStageEnteredAt: null,
        opportunity: {
          name: 'Tab\there',
          accountName: 'Back\\slash',
          industry: null,
          amount: { amount: '12345.6789', currency: 'EUR' },
          probability: 0.4,
          ownerId: null,
          leadId: null,
          leadSource: null,
          expectedCloseDate: null,
          createdAt: AT[0],
          status: 'OPEN',
        },
      },
    });
    const copied = Array.from({ length: STAGE_EVENTS_INLINE_AT_MOST + 1 }, (_, index) => event(randomUUID(), (index % 3) + 1));
    const inline = copied.slice(0, 3).map(({ data }) => event(randomUUID(), data.version));
    const columns = 'version, from_stage, to_stage, to_category, to_position, changed_at, changed_by, reason, snapshot';

    // Act: each chunk twice over (a redelivery), the inline one with an id repeated inside it
    const insert = (events: StageEventRow[]) => manager.transaction((transaction) => insertStageEvents(transaction, events));
    await insert([...copied, copied[0]]);
    await insert(copied.slice(0, 5));
    await insert([...inline, inline[1]]);
    await insert(inline);

    // Assert
    const rowsOf = (events: StageEventRow[]) =>
      manager.query(`SELECT ${columns} FROM stage_event WHERE event_id = ANY($1) ORDER BY version`, [events.map((item) => item.eventId)]);
    expect(await rowsOf(inline)).toEqual(await rowsOf(copied.slice(0, 3)));
    expect(await rowsOf(copied)).toHaveLength(copied.length);
  });
});
