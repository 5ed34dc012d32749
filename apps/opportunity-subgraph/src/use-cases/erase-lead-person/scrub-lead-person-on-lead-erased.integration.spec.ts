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
  TopicReader,
  waitFor,
} from '@pipeline/testing';
import { Client } from 'pg';

import { publish, startOpportunityService } from '../../test-support';

const CONVERT = `mutation($input: ConvertLeadInput!) { convertLead(input: $input) { opportunity { id } } }`;
const CONTACTS = `query($id: ID!) { opportunity(id: $id) { name accountName contacts { role contact { name email phone lead { id } } } } }`;

async function sql<T = any>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

// A qualified lead as the lead service publishes it since people are sealed: plain fields blanked, the person in personal.
async function sealedQualifiedLead(subject: TestService, owner: PersonalDataOwner, leadId: string, person: { name: string; email: string; phone: string }) {
  await publish(subject, TOPICS.leadEvents, 'sales.lead.qualified.v1', leadId, {
    leadId,
    version: 2,
    criteriaVersion: 1,
    qualifiedAt: new Date().toISOString(),
    lead: {
      name: '',
      company: `Company ${leadId.slice(0, 6)}`,
      email: null,
      industry: null,
      region: null,
      source: 'EVENT',
      sourceDetail: null,
      status: 'QUALIFIED',
      score: 70,
      ownerId: null,
      ownerTeamId: null,
      estimatedValue: null,
      need: null,
      opportunityId: null,
      createdAt: new Date().toISOString(),
      personal: await owner.seal(leadId, { ...person, sourceDetail: null }),
    },
  });
  await waitFor(async () => (await subject.service.dataSource.query('SELECT 1 FROM lead_snapshot WHERE id = $1', [leadId])).length > 0, {
    what: 'the sealed lead snapshot',
  });
}

describe('a lead person erased, in the opportunity service', () => {
  let subject: TestService;
  let owner: PersonalDataOwner;
  const admin = adminActor();

  beforeAll(async () => {
    owner = await startPersonalDataOwner('erase_lead_person', ['opportunity-subgraph']);
    subject = await startOpportunityService('erase_lead_person', undefined, owner.opener('opportunity-subgraph'));
  });
  afterAll(async () => {
    await subject?.stop();
    await owner?.stop();
  });

  it('keeps the contact made from the lead on the opportunity but no longer says who they are, and forgets the name in the lead snapshot', async () => {
    // Arrange: a lead known from an older fact naming the person in plain text, converted
    const leadId = randomUUID();
    const tag = randomUUID().slice(0, 8);
    await publish(subject, TOPICS.leadEvents, 'sales.lead.qualified.v1', leadId, {
      leadId,
      version: 2,
      criteriaVersion: 1,
      qualifiedAt: new Date().toISOString(),
      lead: {
        name: `Grace Hopper ${tag}`,
        company: `Hopper Labs ${tag.slice(0, 2)}`,
        email: `grace.${tag}@hopper.example`,
        industry: null,
        region: null,
        source: 'EVENT',
        sourceDetail: null,
        status: 'QUALIFIED',
        score: 70,
        ownerId: null,
        ownerTeamId: null,
        estimatedValue: null,
        need: null,
        opportunityId: null,
        createdAt: new Date().toISOString(),
      },
    });
    const opportunity = expectNoErrors(await subject.as(admin)<any>(CONVERT, { input: { leadId, contactRole: 'DECISION_MAKER' } })).convertLead.opportunity;
    expect((await findTextInDatabase(subject.databaseUrl, [tag])).map((hit) => hit.table).sort()).toEqual(['public.contact', 'public.lead_snapshot']);
    const event = createCloudEvent({
      type: 'sales.lead.erased.v1',
      source: '/test',
      subject: leadId,
      data: { leadId, opportunityId: opportunity.id, erasedAt: new Date().toISOString(), erasedBy: admin.userId },
    });

    // Act: delivered twice
    await publishEvents(subject.topicPrefix, [
      { topic: TOPICS.leadEvents, event },
      { topic: TOPICS.leadEvents, event },
    ]);

    // Assert
    const read = await waitFor(
      async () => {
        const data = expectNoErrors(await subject.as(admin)<any>(CONTACTS, { id: opportunity.id })).opportunity;
        return data.contacts[0]?.contact.name === 'Erased person' ? data : null;
      },
      { what: 'the erasure applied' },
    );
    expect(read.contacts).toEqual([{ role: 'DECISION_MAKER', contact: { name: 'Erased person', email: null, phone: null, lead: { id: leadId } } }]);
    expect(await findTextInDatabase(subject.databaseUrl, [tag])).toEqual([]);
  });

  it('publishes the free text of the opportunity made from the lead with the person replaced, and on erasure rewrites the stored text the same way', async () => {
    // Arrange: the lead converted into an opportunity named after the person, an activity naming them, a rename
    const leadId = randomUUID();
    const tag = randomUUID().replace(/-/g, '').slice(0, 10);
    const name = `Ada Lovelace${tag}`;
    const email = `ada.${tag}@lovelace.example`;
    await sealedQualifiedLead(subject, owner, leadId, { name, email, phone: '+44 20 7946 0958' });
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.opportunityEvents}`, `${subject.topicPrefix}${TOPICS.stageChanged}`]);
    await reader.start();
    const call = subject.as(admin);
    const opportunity = expectNoErrors(await call<any>(CONVERT, { input: { leadId, opportunityName: `${name} renewal` } })).convertLead.opportunity;
    expectNoErrors(
      await call(`mutation($input: LogActivityInput!) { logActivity(input: $input) { activity { id } } }`, {
        input: { opportunityId: opportunity.id, type: 'CALL', subject: `Call with ada lovelace${tag.toUpperCase()}, Adam joins`, notes: `Mail ${email}` },
      }),
    );
    const renamed = expectNoErrors(
      await call<any>(`mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { version } } }`, {
        input: { opportunityId: opportunity.id, expectedVersion: 1, name: `${name.toLowerCase()} expansion` },
      }),
    );
    expect(renamed.updateOpportunity.opportunity.version).toBe(2);

    // Act: what was published
    const published = await waitFor(
      () => {
        const mine = reader.parsed<any>().filter(({ event }) => event.subject === opportunity.id);
        return mine.length >= 4 ? mine : null;
      },
      { what: 'the opportunity created, its first stage change, the activity and the update' },
    );
    await reader.stop();

    // Assert: plain fields name no one, the originals are sealed with the lead's key kept in this service
    const [{ key }] = await sql<{ key: Buffer }>(subject.databaseUrl, 'SELECT key FROM personal_data_key WHERE subject_id = $1', [leadId]);
    const byType = (type: string) => published.find(({ event }) => event.type === type)?.event.data;
    const created = byType('sales.opportunity.created.v1');
    expect(created.opportunity.name).toBe('[person] renewal');
    expect(openPersonalData(key, created.personal)).toEqual({ name: `${name} renewal` });
    expect(byType('sales.opportunity.stage_changed.v1').opportunity.name).toBe('[person] renewal');
    const activity = byType('sales.opportunity.activity_logged.v1');
    expect(activity.subject).toBe('Call with [person], Adam joins');
    expect(openPersonalData(key, activity.personal)).toEqual({ subject: `Call with ada lovelace${tag.toUpperCase()}, Adam joins` });
    const updated = byType('sales.opportunity.updated.v1');
    expect([updated.opportunity.name, updated.previous.name]).toEqual(['[person] expansion', '[person] renewal']);
    expect(openPersonalData(key, updated.personal)).toEqual({ name: `${name.toLowerCase()} expansion`, previousName: `${name} renewal` });
    expect(published.map(({ event }) => JSON.stringify(event)).filter((text) => text.includes(tag))).toEqual([]);
    expect((await findTextInDatabase(subject.databaseUrl, [tag])).map((hit) => hit.table).sort()).toEqual([
      'public.activity',
      'public.contact',
      'public.opportunity',
    ]);

    // Act: the erasure, delivered twice
    const event = createCloudEvent({
      type: 'sales.lead.erased.v1',
      source: '/test',
      subject: leadId,
      data: { leadId, opportunityId: opportunity.id, erasedAt: new Date().toISOString(), erasedBy: admin.userId },
    });
    await publishEvents(subject.topicPrefix, [
      { topic: TOPICS.leadEvents, event },
      { topic: TOPICS.leadEvents, event },
    ]);

    // Assert: the stored text keeps its words with the person replaced; nothing names them; the key is gone
    const readBack = async () =>
      expectNoErrors(
        await call<any>(`query($id: ID!) { opportunity(id: $id) { name activities { subject notes } contacts { contact { name } } } }`, { id: opportunity.id }),
      ).opportunity;
    await waitFor(async () => (await readBack()).contacts[0]?.contact.name === 'Erased person', { what: 'the erasure applied' });
    // Read again: the fields of one read come from several statements, which may straddle the erasure's commit.
    const read = await readBack();
    expect(read.name).toBe('[person] expansion');
    expect(read.activities).toEqual([{ subject: 'Call with [person], Adam joins', notes: 'Mail [person]' }]);
    expect(await findTextInDatabase(subject.databaseUrl, [tag, email])).toEqual([]);
    expect(await sql(subject.databaseUrl, 'SELECT key FROM personal_data_key WHERE subject_id = $1', [leadId])).toEqual([{ key: null }]);
  });
  it('publishes the reason of a stage move of the opportunity made from the lead with the person replaced, the original sealed', async () => {
    // Arrange
    const leadId = randomUUID();
    const tag = randomUUID().replace(/-/g, '').slice(0, 10);
    const name = `Grace Hopper${tag}`;
    await sealedQualifiedLead(subject, owner, leadId, { name, email: `grace.${tag}@hopper.example`, phone: '+1 202 555 0143' });
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.stageChanged}`]);
    await reader.start();
    const call = subject.as(admin);
    const opportunity = expectNoErrors(await call<any>(CONVERT, { input: { leadId, opportunityName: `${name} pilot` } })).convertLead.opportunity;

    // Act
    expectNoErrors(
      await call(`mutation($input: MoveOpportunityStageInput!) { moveOpportunityStage(input: $input) { opportunity { version } } }`, {
        input: { opportunityId: opportunity.id, toStage: 'CLOSED_LOST', reason: `${name} chose a competitor` },
      }),
    );

    // Assert
    const moved = await waitFor(
      () => reader.parsed<any>().find(({ event }) => event.subject === opportunity.id && event.data.toStage === 'CLOSED_LOST')?.event.data ?? null,
      { what: 'the stage change to CLOSED_LOST' },
    );
    await reader.stop();
    const [{ key }] = await sql<{ key: Buffer }>(subject.databaseUrl, 'SELECT key FROM personal_data_key WHERE subject_id = $1', [leadId]);
    expect([moved.reason, moved.opportunity.name]).toEqual(['[person] chose a competitor', '[person] pilot']);
    expect(openPersonalData(key, moved.personal)).toEqual({ name: `${name} pilot`, reason: `${name} chose a competitor` });
  });
});
