import { randomUUID } from 'node:crypto';

import { createCloudEvent, type LeadSnapshot, TOPICS } from '@pipeline/events';
import { ChunkCollector } from '@pipeline/messaging';
import { type TestService, waitFor } from '@pipeline/testing';

import { publishAll, startOpportunityService } from '../../test-support';
import { updateLeadSnapshotOnLeadEvent } from './update-lead-snapshot-on-lead-event';
import { updateRepSnapshotOnRepEvent } from './update-rep-snapshot-on-rep-event';

function lead(status: LeadSnapshot['status'], company: string): LeadSnapshot {
  return {
    name: 'Ada',
    company,
    email: null,
    industry: 'Software',
    region: 'DE',
    source: 'REFERRAL',
    sourceDetail: null,
    status,
    score: 50,
    ownerId: null,
    ownerTeamId: null,
    estimatedValue: { amount: '1234.56', currency: 'EUR' },
    need: null,
    opportunityId: null,
    createdAt: new Date().toISOString(),
  };
}

const leadEvent = (leadId: string, version: number, status: LeadSnapshot['status']) =>
  createCloudEvent({
    type: 'sales.lead.updated.v1',
    source: '/test',
    subject: leadId,
    data: { leadId, version, lead: lead(status, `Company v${version}`), changes: ['status'] },
  });

describe('lead and rep snapshots from events', () => {
  let subject: TestService;

  beforeAll(async () => {
    subject = await startOpportunityService('sync_snapshots');
  });
  afterAll(async () => subject?.stop());

  const snapshot = async (leadId: string) =>
    (
      await subject.service.dataSource.query('SELECT version, status, company, estimated_value_amount::text AS amount FROM lead_snapshot WHERE id = $1', [
        leadId,
      ])
    )[0];

  it('keeps the newest version when one chunk holds two versions of a lead, in either order', async () => {
    // Arrange
    const [newerFirst, olderFirst] = [randomUUID(), randomUUID()];
    const chunk = new ChunkCollector();

    // Act: one chunk, one transaction, one flush
    await subject.service.dataSource.transaction(async (manager) => {
      for (const event of [
        leadEvent(newerFirst, 3, 'QUALIFIED'),
        leadEvent(newerFirst, 2, 'WORKING'),
        leadEvent(olderFirst, 2, 'WORKING'),
        leadEvent(olderFirst, 3, 'QUALIFIED'),
      ]) {
        await updateLeadSnapshotOnLeadEvent(event, manager, chunk);
      }
      await chunk.flush(manager);
    });

    // Assert
    expect(await snapshot(newerFirst)).toEqual({ version: 3, status: 'QUALIFIED', company: 'Company v3', amount: '1234.5600' });
    expect(await snapshot(olderFirst)).toEqual({ version: 3, status: 'QUALIFIED', company: 'Company v3', amount: '1234.5600' });
  });

  it('never lets a later chunk with an older version replace a newer snapshot, and applies a newer one', async () => {
    // Arrange
    const leadId = randomUUID();
    const apply = async (...events: Array<ReturnType<typeof leadEvent>>) => {
      const chunk = new ChunkCollector();
      await subject.service.dataSource.transaction(async (manager) => {
        for (const event of events) await updateLeadSnapshotOnLeadEvent(event, manager, chunk);
        await chunk.flush(manager);
      });
    };
    await apply(leadEvent(leadId, 5, 'QUALIFIED'));

    // Act
    await apply(leadEvent(leadId, 4, 'WORKING'), leadEvent(leadId, 2, 'NEW'));
    const afterOlder = await snapshot(leadId);
    await apply(leadEvent(leadId, 6, 'CONVERTED'), leadEvent(leadId, 5, 'WORKING'));

    // Assert
    expect(afterOlder).toMatchObject({ version: 5, status: 'QUALIFIED' });
    expect(await snapshot(leadId)).toMatchObject({ version: 6, status: 'CONVERTED' });
  });

  it('keeps the newest rep version from one chunk', async () => {
    // Arrange
    const repId = randomUUID();
    const chunk = new ChunkCollector();
    const repEvent = (version: number, teamId: string, active: boolean) =>
      createCloudEvent({
        type: 'sales.rep.updated.v1',
        source: '/test',
        subject: repId,
        data: { repId, name: 'Rep', email: 'rep@example.com', role: 'REP', teamId, active, version },
      });

    // Act
    await subject.service.dataSource.transaction(async (manager) => {
      for (const event of [repEvent(2, 'south', false), repEvent(1, 'north', true)]) await updateRepSnapshotOnRepEvent(event, manager, chunk);
      await chunk.flush(manager);
    });

    // Assert
    expect(await subject.service.dataSource.query('SELECT team_id, active, version FROM rep_snapshot WHERE id = $1', [repId])).toEqual([
      { team_id: 'south', active: false, version: 2 },
    ]);
  });

  it('applies out-of-order lead events delivered together through Kafka, once each, keeping the newest', async () => {
    // Arrange
    const leadId = randomUUID();
    const versions: Array<[number, LeadSnapshot['status']]> = [
      [2, 'WORKING'],
      [3, 'QUALIFIED'],
      [1, 'NEW'],
    ];

    // Act
    const ids = await publishAll(
      subject,
      TOPICS.leadEvents,
      versions.map(([version, status]) => ({
        type: 'sales.lead.updated.v1' as const,
        subject: leadId,
        data: { leadId, version, lead: lead(status, `Company v${version}`), changes: ['status'] },
      })),
    );
    await waitFor(
      async () =>
        (await subject.service.dataSource.query('SELECT count(*)::int AS count FROM processed_event WHERE event_id = ANY($1)', [ids]))[0].count === ids.length,
      {
        what: 'all three lead events to be processed',
      },
    );

    // Assert
    expect(await snapshot(leadId)).toMatchObject({ version: 3, status: 'QUALIFIED', company: 'Company v3' });
  });
});
