import { randomUUID } from 'node:crypto';

import { createCloudEvent, TOPICS } from '@pipeline/events';
import { openPersonalData } from '@pipeline/persistence';
import {
  adminActor,
  expectNoErrors,
  findTextInDatabase,
  type PersonalDataOwner,
  publishEvents,
  startPersonalDataOwner,
  type TestService,
  waitFor,
} from '@pipeline/testing';

import { arrangeOpportunity, leadQualifiedData, publish, startDealService } from '../../test-support';

const COMMIT = `mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { deal { id } } }`;

describe('a lead person erased, in the deal service', () => {
  let subject: TestService;
  let owner: PersonalDataOwner;
  const admin = adminActor();

  beforeAll(async () => {
    owner = await startPersonalDataOwner('erase_lead_person', ['deal-subgraph']);
    subject = await startDealService('erase_lead_person', { personalData: owner.opener('deal-subgraph') });
  });
  afterAll(async () => {
    await subject?.stop();
    await owner?.stop();
  });

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

  it('publishes a close note naming the lead person with the person replaced, the typed note sealed, and on erasure clears it in the row and the stored copy', async () => {
    // Arrange: a sealed lead (as the lead service publishes it since people are sealed) and its opportunity
    const leadId = randomUUID();
    const tag = randomUUID().replace(/-/g, '').slice(0, 10);
    const person = { name: `Samir Nagheenanajar${tag}`, email: `samir.${tag}@initech.example`, phone: null };
    const qualified = leadQualifiedData(leadId, 2, { name: '', need: 'Fewer reports' });
    await publish(subject, TOPICS.leadEvents, 'sales.lead.qualified.v1', leadId, {
      ...qualified,
      lead: { ...qualified.lead, personal: await owner.seal(leadId, { ...person, sourceDetail: null }) },
    });
    await waitFor(async () => (await query('SELECT 1 FROM lead_snapshot WHERE id = $1 AND personal IS NOT NULL', [leadId])).length === 1, {
      what: 'the sealed lead snapshot',
    });
    const opportunityId = await arrangeOpportunity(subject, { leadId });

    // Act
    expectNoErrors(
      await subject.as(admin)(`mutation($input: CloseDealInput!) { closeDeal(input: $input) { deal { id } } }`, {
        input: { opportunityId, outcome: 'LOST', lostReason: 'PRICE', note: `samir NAGHEENANAJAR${tag} (${person.email}) chose the cheaper offer` },
      }),
    );

    // Assert: the stored fact (what the relay publishes) names no one; the typed note is sealed with the lead's key
    const [closed] = await query(`SELECT payload FROM outbox WHERE type = 'sales.deal.closed.v1' AND aggregateid = $1`, [opportunityId]);
    const [{ key }] = await query('SELECT key FROM personal_data_key WHERE subject_id = $1', [leadId]);
    expect(closed.payload.data.closeNote).toBe('[person] ([person]) chose the cheaper offer');
    expect(openPersonalData(key, closed.payload.data.personal)).toEqual({ closeNote: `samir NAGHEENANAJAR${tag} (${person.email}) chose the cheaper offer` });
    expect((await findTextInDatabase(subject.databaseUrl, [tag])).map((hit) => hit.table)).toEqual(['public.deal']);

    // Act: the erasure
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
    await waitFor(async () => (await query('SELECT 1 FROM personal_data_key WHERE subject_id = $1 AND key IS NULL', [leadId])).length === 1, {
      what: 'the erasure applied',
    });
    expect(await findTextInDatabase(subject.databaseUrl, [tag, person.email])).toEqual([]);
    const [scrubbed] = await query(`SELECT payload FROM outbox WHERE type = 'sales.deal.closed.v1' AND aggregateid = $1`, [opportunityId]);
    expect([scrubbed.payload.data.closeNote, scrubbed.payload.data.personal]).toEqual([null, undefined]);
  });
});
