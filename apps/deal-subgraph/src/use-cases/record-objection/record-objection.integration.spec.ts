import { randomUUID } from 'node:crypto';

import { TOPICS, validateCloudEvent } from '@pipeline/events';
import { errorCodes, expectNoErrors, repActor, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { arrangeOpportunity, publishRep, startDealService } from '../../test-support';

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
});
