import { randomUUID } from 'node:crypto';

import type { TestService } from '@pipeline/testing';
import fc from 'fast-check';
import type { EntityManager } from 'typeorm';

import { startEngagementService } from '../test-support';
import { type OpportunityChange, upsertOpportunities } from './snapshot-repository';

const AT = ['2026-03-01T10:00:00.000Z', '2026-03-02T10:00:00.000Z', '2026-03-03T10:00:00.000Z'];
const LEADS = ['00000000-0000-4000-8000-00000000000a', '00000000-0000-4000-8000-00000000000b'];

// A chunk's changes, upserted together, must end where the same changes applied one by one (the per-event fallback) end.
describe('opportunity snapshots upserted a chunk at a time', () => {
  let subject: TestService;
  let manager: EntityManager;

  beforeAll(async () => {
    subject = await startEngagementService('snapshot_chunks');
    manager = subject.service.dataSource.manager;
  });
  afterAll(async () => subject?.stop());

  const change = fc.record({
    version: fc.integer({ min: 1, max: 3 }),
    stage: fc.constantFrom('DISCOVERY', 'PROPOSAL'),
    enteredAt: fc.constantFrom(...AT, null),
    leadId: fc.constantFrom(...LEADS, null),
  });
  const toChange =
    (id: string) =>
    (item: { version: number; stage: string; enteredAt: string | null; leadId: string | null }): OpportunityChange => ({
      id,
      version: item.version,
      name: `${item.stage} v${item.version}`,
      status: 'OPEN',
      stage: item.stage,
      ownerId: null,
      stageEnteredAt: item.enteredAt,
      leadId: item.leadId,
    });

  it('ends in the same state as one-by-one upserts, whatever the order, repeats and what was stored', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(change, { maxLength: 2 }), fc.array(change, { minLength: 1, maxLength: 6 }), fc.boolean(), async (stored, chunk, notified) => {
        // Arrange: the same stored history for both, told as stalled or not
        const [chunked, oneByOne] = [randomUUID(), randomUUID()];
        for (const id of [chunked, oneByOne]) for (const item of stored.map(toChange(id))) await upsertOpportunities(manager, [item]);
        if (notified) await manager.query('UPDATE opportunity_snapshot SET stalled_notified_at = $2 WHERE id = ANY($1::uuid[])', [[chunked, oneByOne], AT[0]]);

        // Act: an unrelated opportunity in the chunk too, as live chunks mix them
        await upsertOpportunities(manager, [...chunk.map(toChange(chunked)), toChange(randomUUID())(chunk[0])]);
        for (const item of chunk.map(toChange(oneByOne))) await upsertOpportunities(manager, [item]);

        // Assert
        const rows = await manager.query(
          'SELECT id, version, name, status, stage, owner_id, stage_entered_at, lead_id, stalled_notified_at FROM opportunity_snapshot WHERE id = ANY($1::uuid[])',
          [[chunked, oneByOne]],
        );
        const [a, b] = [chunked, oneByOne].map((id) => rows.find((row: { id: string }) => row.id === id));
        expect({ ...a, id: null }).toEqual({ ...b, id: null });
      }),
      { numRuns: 60 },
    );
  });
});
