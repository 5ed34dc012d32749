import { randomUUID } from 'node:crypto';

import { type AnyPipelineEvent, createCloudEvent, type OpportunitySnapshot, TOPICS } from '@pipeline/events';
import { adminActor, errorCodes, expectNoErrors, repActor, type TestService, waitFor } from '@pipeline/testing';

import { PIPELINE_ID, publishAll, type Published, startAnalytics } from '../../test-support';

const CHANGES = `query($opportunityId: ID, $field: OpportunityHistoryField) { opportunityFieldChanges(opportunityId: $opportunityId, field: $field) {
  totalCount edges { node { opportunityId field previousValue newValue previousAmount { amount currency } newAmount { amount currency } daysSlipped changedBy version } } } }`;

describe('opportunityFieldChanges (field history from opportunity.updated)', () => {
  let subject: TestService;
  const admin = adminActor();
  const owner = randomUUID();
  const other = randomUUID();
  const mine = randomUUID();
  const theirs = randomUUID();

  const snapshot = (ownerId: string, overrides: Partial<OpportunitySnapshot> = {}): OpportunitySnapshot => ({
    name: 'Expansion',
    accountName: 'Initech',
    industry: 'Software',
    amount: { amount: '12000.00', currency: 'EUR' },
    probability: 0.1,
    ownerId,
    leadId: null,
    leadSource: null,
    expectedCloseDate: '2027-01-31',
    createdAt: '2026-11-01T08:00:00.000Z',
    status: 'OPEN',
    ownerTeamId: 'north',
    ...overrides,
  });
  const state = (opportunityId: string, version: number, opportunity: OpportunitySnapshot) => ({
    opportunityId,
    version,
    pipelineId: PIPELINE_ID,
    stage: 'QUALIFICATION',
    stageCategory: 'OPEN' as const,
    opportunity,
  });
  const published = (event: AnyPipelineEvent, key: string): Published => ({ topic: TOPICS.opportunityEvents, key, event });

  beforeAll(async () => {
    subject = await startAnalytics('field_changes');
    const events = [mine, theirs].flatMap((id) => {
      const ownerId = id === mine ? owner : other;
      return [
        published(
          createCloudEvent({
            type: 'sales.opportunity.created.v1',
            source: '/test',
            subject: id,
            data: state(id, 1, snapshot(ownerId)),
            time: new Date('2026-11-01T08:00:00Z'),
          }) as AnyPipelineEvent,
          id,
        ),
        published(
          createCloudEvent({
            type: 'sales.opportunity.updated.v1',
            source: '/test',
            subject: id,
            time: new Date('2026-11-10T08:00:00Z'),
            data: {
              ...state(id, 2, snapshot(ownerId, { expectedCloseDate: '2027-03-02', amount: { amount: '9000.00', currency: 'EUR' } })),
              changes: ['amount', 'expectedCloseDate'],
              previous: { amount: { amount: '12000.00', currency: 'EUR' }, expectedCloseDate: '2027-01-31' },
              changedBy: ownerId,
            },
          }) as AnyPipelineEvent,
          id,
        ),
      ];
    });
    // Delivered twice: the history holds each change once.
    await publishAll(subject.topicPrefix, [...events, ...events]);
    await waitFor(async () => expectNoErrors(await subject.as(admin)<any>(CHANGES, {})).opportunityFieldChanges.totalCount === 4, {
      what: 'both updates projected',
    });
  });
  afterAll(async () => subject?.stop());

  it('shows each changed field with its earlier value, and how many days a close date slipped', async () => {
    // Act
    const slips = expectNoErrors(await subject.as(admin)<any>(CHANGES, { opportunityId: mine, field: 'EXPECTED_CLOSE_DATE' })).opportunityFieldChanges;
    const all = expectNoErrors(await subject.as(admin)<any>(CHANGES, { opportunityId: mine })).opportunityFieldChanges;

    // Assert
    expect(slips.edges.map((edge: any) => edge.node)).toEqual([
      {
        opportunityId: mine,
        field: 'EXPECTED_CLOSE_DATE',
        previousValue: '2027-01-31',
        newValue: '2027-03-02',
        previousAmount: null,
        newAmount: null,
        daysSlipped: 30,
        changedBy: owner,
        version: 2,
      },
    ]);
    expect(all.edges.map((edge: any) => [edge.node.field, edge.node.previousAmount])).toEqual([
      ['AMOUNT', { amount: '12000.00', currency: 'EUR' }],
      ['EXPECTED_CLOSE_DATE', null],
    ]);
  });

  it('keeps the visibility rules: a rep sees the history of their own opportunities only', async () => {
    // Act
    const asOwner = expectNoErrors(await subject.as(repActor(owner, 'north'))<any>(CHANGES, {})).opportunityFieldChanges;
    const bad = await subject.as(admin)(CHANGES, { field: 'DEFERRED_UNTIL' });

    // Assert
    expect(asOwner.totalCount).toBe(2);
    expect(new Set(asOwner.edges.map((edge: any) => edge.node.opportunityId))).toEqual(new Set([mine]));
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
  });
});
