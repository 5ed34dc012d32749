import { randomUUID } from 'node:crypto';

import { createCloudEvent, TOPICS } from '@pipeline/events';
import { openPersonalData } from '@pipeline/persistence';
import { adminActor, expectNoErrors, findTextInDatabase, publishEvents, type TestService, waitFor } from '@pipeline/testing';

import { arrangeOpportunity, leadQualifiedData, publish, startDealService } from '../../test-support';

const COMMIT = `mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { deal { id } } }`;

describe('a lead person erased, in the deal service', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startDealService('erase_lead_person');
  });
  afterAll(async () => subject?.stop());

  const query = (sql: string, params: unknown[]) => subject.service.dataSource.query(sql, params);

  it('publishes a commitment contact sealed with the lead key, and on erasure scrubs the deal, the lead snapshot and older outbox copies, and destroys the key', async () => {
    // Arrange: the lead's snapshot from an older plain-text fact, its opportunity, a commitment naming the person
    const leadId = randomUUID();
    const tag = randomUUID().slice(0, 8);
    const name = `Peter Gibbons ${tag}`;
    await publish(subject, TOPICS.leadEvents, 'sales.lead.qualified.v1', leadId, leadQualifiedData(leadId, 2, { name, need: `${name} wants fewer reports` }));
    await waitFor(async () => (await query('SELECT 1 FROM lead_snapshot WHERE id = $1', [leadId])).length === 1, { what: 'lead snapshot' });
    const opportunityId = await arrangeOpportunity(subject, { leadId });
    expectNoErrors(await subject.as(admin)(COMMIT, { input: { opportunityId, type: 'VERBAL', contactName: name, notes: `${name} said yes` } }));
    // An older commitment fact, written before contact names were sealed
    const [deal] = await query('SELECT id FROM deal WHERE opportunity_id = $1', [opportunityId]);
    await query(
      `INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload, published_at) VALUES ($1, 'deal', $2, 'sales.deal.commitment_recorded.v1', 'x', $3::jsonb, now())`,
      [randomUUID(), opportunityId, JSON.stringify({ data: { dealId: deal.id, opportunityId, contactName: name } })],
    );
    const [fact] = await query(
      `SELECT payload FROM outbox WHERE type = 'sales.deal.commitment_recorded.v1' AND payload #> '{data,personal}' IS NOT NULL AND aggregateid = $1`,
      [opportunityId],
    );
    const [key] = await query('SELECT key FROM personal_data_key WHERE subject_id = $1', [leadId]);
    expect(fact.payload.data.contactName).toBe('');
    expect(openPersonalData(key.key, fact.payload.data.personal)).toEqual({ contactName: name });

    // Act
    await publishEvents(subject.topicPrefix, [
      {
        topic: TOPICS.leadEvents,
        event: createCloudEvent({
          type: 'sales.lead.erased.v1',
          source: '/test',
          subject: leadId,
          data: { leadId, opportunityId, erasedAt: new Date().toISOString(), erasedBy: admin.userId },
        }),
      },
    ]);

    // Assert
    await waitFor(async () => (await query(`SELECT 1 FROM commitment WHERE deal_id = $1 AND contact_name = 'Erased person'`, [deal.id])).length === 1, {
      what: 'the erasure applied',
    });
    expect(await findTextInDatabase(subject.databaseUrl, [tag])).toEqual([]);
    expect(await query('SELECT key FROM personal_data_key WHERE subject_id = $1', [leadId])).toEqual([{ key: null }]);
    const commitments = expectNoErrors(
      await subject.as(admin)<any>(`query($id: ID!) { deal(opportunityId: $id) { commitments { contactName notes } } }`, { id: opportunityId }),
    ).deal.commitments;
    expect(commitments).toEqual([{ contactName: 'Erased person', notes: null }]);
  });
});
