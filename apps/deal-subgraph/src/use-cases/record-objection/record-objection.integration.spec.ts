import { randomUUID } from 'node:crypto';

import { TOPICS, validateCloudEvent } from '@pipeline/events';
import { errorCodes, expectNoErrors, repActor, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { arrangeOpportunity, publish, publishRep, stageChangedData, startDealService } from '../../test-support';

const RECORD = `mutation($input: RecordObjectionInput!) { recordObjection(input: $input) { objection { id category note recordedBy } deal { version } } }`;

describe('recordObjection', () => {
  let subject: TestService;
  const owner = randomUUID();
  const rep = repActor(owner, 'north');

  beforeAll(async () => {
    subject = await startDealService('record_objection');
    await publishRep(subject, owner, 'north');
  });
  afterAll(async () => subject?.stop());

  it('records an objection by category and publishes the category (not the note) as a fact', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.dealEvents}`]);
    await reader.start();
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });

    // Act
    const recorded = expectNoErrors(
      await subject.as(rep)<any>(RECORD, { input: { opportunityId, category: 'PRICE', note: 'Twice the incumbent' } }),
    ).recordObjection;

    // Assert
    expect(recorded.objection).toEqual({ id: expect.any(String), category: 'PRICE', note: 'Twice the incumbent', recordedBy: owner });
    const event = await waitFor(
      () =>
        reader.parsed<any>().find(({ event: candidate }) => candidate.subject === opportunityId && candidate.type === 'sales.deal.objection_recorded.v1')
          ?.event,
      {
        what: 'the objection fact',
      },
    );
    await reader.stop();
    expect(validateCloudEvent(event)).toEqual([]);
    expect(event.data).toMatchObject({ opportunityId, objectionId: recorded.objection.id, category: 'PRICE', actorId: owner });
    expect(JSON.stringify(event.data)).not.toContain('incumbent');
  });

  it('refuses an unknown category and another rep’s deal, writing nothing', async () => {
    // Arrange
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });

    // Act
    const unknown = await subject.as(rep)(RECORD, { input: { opportunityId, category: 'WEATHER' } });
    const foreign = await subject.as(repActor(randomUUID(), 'north'))(RECORD, { input: { opportunityId, category: 'PRICE' } });

    // Assert
    expect(errorCodes(unknown)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(foreign).length).toBe(1);
    const [{ count }] = await subject.service.dataSource.query(
      `SELECT count(*)::int AS count FROM deal_objection o JOIN deal d ON d.id = o.deal_id WHERE d.opportunity_id = $1`,
      [opportunityId],
    );
    expect(count).toBe(0);
  });

  it('refuses an archived opportunity with CONFLICT and writes nothing; once restored it records again', async () => {
    // Arrange
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });
    const state = (version: number, archived: boolean) => {
      const { pipelineId, toStage, toStageCategory, opportunity } = stageChangedData(opportunityId, { ownerId: owner });
      return { opportunityId, version, pipelineId, stage: toStage, stageCategory: toStageCategory, opportunity: { ...opportunity, archived } };
    };
    const snapshotAt = (version: number) =>
      waitFor(
        async () =>
          (await subject.service.dataSource.query('SELECT 1 FROM opportunity_snapshot WHERE id = $1 AND version = $2', [opportunityId, version])).length > 0,
        {
          what: `the opportunity snapshot at version ${version}`,
        },
      );
    await publish(subject, TOPICS.opportunityEvents, 'sales.opportunity.archived.v1', opportunityId, {
      ...state(2, true),
      reason: 'Duplicate',
      archivedBy: owner,
      archivedAt: new Date().toISOString(),
    });
    await snapshotAt(2);

    // Act
    const refused = await subject.as(rep)(RECORD, { input: { opportunityId, category: 'PRICE' } });
    const [{ count: whileArchived }] = await subject.service.dataSource.query(`SELECT (SELECT count(*) FROM deal WHERE opportunity_id = $1)::int AS count`, [
      opportunityId,
    ]);
    await publish(subject, TOPICS.opportunityEvents, 'sales.opportunity.restored.v1', opportunityId, { ...state(3, false), restoredBy: owner });
    await snapshotAt(3);
    const restored = await subject.as(rep)(RECORD, { input: { opportunityId, category: 'PRICE' } });

    // Assert
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0].message).toMatch(/archived/);
    expect(refused.errors?.[0].extensions?.opportunityId).toBe(opportunityId);
    expect(whileArchived).toBe(0);
    expect(restored.errors).toBeUndefined();
  });
});
