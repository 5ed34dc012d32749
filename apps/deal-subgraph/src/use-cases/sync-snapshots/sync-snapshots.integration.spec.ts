import { randomUUID } from 'node:crypto';

import { createCloudEvent } from '@pipeline/events';
import { ChunkCollector, type ChunkContext } from '@pipeline/messaging';
import { type TestService, waitFor } from '@pipeline/testing';
import type { EntityManager } from 'typeorm';

import { leadQualifiedData, stageChangedData, startDealService } from '../../test-support';
import { updateLeadNeedOnLeadEvent } from './update-lead-need-on-lead-event';
import { updateOpportunitySnapshotOnOpportunityEvent } from './update-opportunity-snapshot-on-opportunity-event';
import { updateOpportunitySnapshotOnStageChanged } from './update-opportunity-snapshot-on-stage-changed';
import { updateRepSnapshotOnRepEvent } from './update-rep-snapshot-on-rep-event';

type Step = (manager: EntityManager, chunk: ChunkContext) => Promise<void>;

// Applies handlers as the event consumer applies one chunk (in order, then each group flushed once, one transaction); returns the flushes' SQL.
async function applyAsOneChunk(subject: TestService, steps: Step[]): Promise<string[]> {
  const statements: string[] = [];
  await subject.service.dataSource.transaction(async (manager) => {
    const chunk = new ChunkCollector();
    for (const step of steps) await step(manager, chunk);
    const counting = new Proxy(manager, {
      get: (target, property, receiver) =>
        property === 'query'
          ? (sql: string, parameters?: unknown[]) => {
              statements.push(sql);
              return target.query(sql, parameters);
            }
          : Reflect.get(target, property, receiver),
    });
    await chunk.flush(counting);
  });
  return statements;
}

const stageChanged =
  (opportunityId: string, version: number, stage: string, amount = '50000.00'): Step =>
  (manager, chunk) =>
    updateOpportunitySnapshotOnStageChanged(
      createCloudEvent({
        type: 'sales.opportunity.stage_changed.v1',
        source: '/test',
        subject: opportunityId,
        data: stageChangedData(opportunityId, { version, stage, amount: { amount, currency: 'EUR' } }),
      }),
      manager,
      chunk,
    );

const opportunityUpdated =
  (opportunityId: string, version: number, stage: string): Step =>
  (manager, chunk) => {
    const { opportunity } = stageChangedData(opportunityId);
    return updateOpportunitySnapshotOnOpportunityEvent(
      createCloudEvent({
        type: 'sales.opportunity.updated.v1',
        source: '/test',
        subject: opportunityId,
        data: { opportunityId, version, pipelineId: '00000000-0000-4000-8000-000000000001', stage, stageCategory: 'OPEN', opportunity, changes: ['stage'] },
      }),
      manager,
      chunk,
    );
  };

const leadQualified =
  (leadId: string, version: number, need: string): Step =>
  (manager, chunk) => {
    const data = leadQualifiedData(leadId, version, { name: 'Peter Gibbons', need });
    return updateLeadNeedOnLeadEvent(createCloudEvent({ type: 'sales.lead.qualified.v1', source: '/test', subject: leadId, data }), manager, chunk);
  };

const repUpdated =
  (repId: string, version: number, teamId: string): Step =>
  (manager, chunk) =>
    updateRepSnapshotOnRepEvent(
      createCloudEvent({
        type: 'sales.rep.updated.v1',
        source: '/test',
        subject: repId,
        data: { repId, name: 'Rep', email: `${repId}@example.com`, role: 'REP', teamId, active: true, version },
      }),
      manager,
      chunk,
    );

describe('snapshots from events, one upsert per chunk', () => {
  let subject: TestService;

  beforeAll(async () => {
    subject = await startDealService('sync_snapshots');
    // Stopping a consumer still joining its group leaves kafkajs working after the test ends.
    await waitFor(() => subject.service.consumers.every((consumer) => consumer.ready), { what: 'the consumers to join', timeoutMs: 30_000 });
  });
  afterAll(async () => subject?.stop());

  const snapshot = async (id: string) =>
    (await subject.service.dataSource.query('SELECT version, stage, amount::text AS amount FROM opportunity_snapshot WHERE id = $1', [id]))[0];

  it('keeps the newest of two versions of one opportunity in one chunk, whichever arrives first, from either stream', async () => {
    // Arrange
    const inOrder = randomUUID();
    const reversed = randomUUID();

    // Act
    const statements = await applyAsOneChunk(subject, [
      stageChanged(inOrder, 2, 'DISCOVERY'),
      stageChanged(reversed, 5, 'NEGOTIATION', '999999999999999.99'),
      opportunityUpdated(inOrder, 3, 'PROPOSAL'),
      stageChanged(reversed, 4, 'DISCOVERY'),
    ]);

    // Assert
    expect(statements).toHaveLength(1);
    expect(await snapshot(inOrder)).toEqual({ version: 3, stage: 'PROPOSAL', amount: '50000.0000' });
    expect(await snapshot(reversed)).toEqual({ version: 5, stage: 'NEGOTIATION', amount: '999999999999999.9900' });
  });

  it('ignores an older version or a replay arriving in a later chunk', async () => {
    // Arrange
    const opportunityId = randomUUID();
    await applyAsOneChunk(subject, [stageChanged(opportunityId, 3, 'PROPOSAL')]);

    // Act
    await applyAsOneChunk(subject, [stageChanged(opportunityId, 2, 'DISCOVERY'), stageChanged(opportunityId, 3, 'DISCOVERY')]);

    // Assert
    expect(await snapshot(opportunityId)).toEqual({ version: 3, stage: 'PROPOSAL', amount: '50000.0000' });
  });

  it('keeps the newest need of a lead when one chunk carries two of its versions', async () => {
    // Arrange
    const leadId = randomUUID();

    // Act
    const statements = await applyAsOneChunk(subject, [leadQualified(leadId, 3, 'Fewer TPS reports'), leadQualified(leadId, 2, 'A stapler')]);

    // Assert
    expect(statements).toHaveLength(1);
    expect(await subject.service.dataSource.query('SELECT version, need FROM lead_snapshot WHERE id = $1', [leadId])).toEqual([
      { version: 3, need: 'Fewer TPS reports' },
    ]);
  });

  it("keeps the newest team of a rep when one chunk carries two of the rep's versions", async () => {
    // Arrange
    const repId = randomUUID();

    // Act
    const statements = await applyAsOneChunk(subject, [repUpdated(repId, 2, 'south'), repUpdated(repId, 1, 'north')]);

    // Assert
    expect(statements).toHaveLength(1);
    expect(await subject.service.dataSource.query('SELECT version, team_id FROM rep_snapshot WHERE id = $1', [repId])).toEqual([
      { version: 2, team_id: 'south' },
    ]);
  });
});
