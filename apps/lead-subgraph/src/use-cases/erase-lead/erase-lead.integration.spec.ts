import { randomUUID } from 'node:crypto';

import type { Actor } from '@pipeline/domain';
import { TOPICS } from '@pipeline/events';
import { openPersonalData } from '@pipeline/persistence';
import {
  adminActor,
  analystActor,
  errorCodes,
  expectNoErrors,
  findTextInDatabase,
  managerActor,
  repActor,
  type TestService,
  TopicReader,
  waitFor,
} from '@pipeline/testing';

import { createLead, createRep, startLeadService } from '../../test-support';

const ERASE = `mutation($input: EraseLeadInput!) { eraseLead(input: $input) { erasedAt lead { id name email phone company status version } } }`;

describe('eraseLead', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startLeadService('erase_lead');
  });
  afterAll(async () => subject?.stop());

  const keyOf = async (leadId: string): Promise<{ key: Buffer | null; destroyed_at: Date | null } | undefined> =>
    (await subject.service.dataSource.query('SELECT key, destroyed_at FROM personal_data_key WHERE subject_id = $1', [leadId]))[0];
  const erasedFacts = async (leadId: string): Promise<number> =>
    (await subject.service.dataSource.query(`SELECT count(*)::int AS count FROM outbox WHERE aggregateid = $1 AND type = 'sales.lead.erased.v1'`, [leadId]))[0]
      .count;

  it('publishes the person only encrypted with their own key, and after erasure no copy in the database or on the topic can be read', async () => {
    // Arrange: a lead whose person is named in its fields, an activity and a stated need
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.leadEvents}`]);
    await reader.start();
    const tag = randomUUID().slice(0, 8);
    const name = `Erin Erasable ${tag}`;
    const email = `erin.${tag}@example.com`;
    const phone = `+49 30 ${tag.replace(/\D/g, '7').slice(0, 7)}`;
    const rep = await createRep(subject.as(admin));
    const lead = await createLead(subject.as(admin), {
      name,
      email,
      phone,
      company: `Erasable GmbH ${tag}`,
      ownerId: rep,
      sourceDetail: `Met ${name} at a fair`,
    });
    expectNoErrors(
      await subject.as(admin)(`mutation($input: LogLeadActivityInput!) { logLeadActivity(input: $input) { activity { id } } }`, {
        input: { leadId: lead.id, type: 'CALL', subject: `Call with ${name}`, notes: `Write to ${email}` },
      }),
    );
    const created = await waitFor(() => reader.parsed<any>().find(({ event }) => event.subject === lead.id && event.type === 'sales.lead.created.v1'), {
      what: 'lead.created',
    });
    const key = (await keyOf(lead.id))?.key;

    // Assert: the event names no one in plain text; the envelope opens with the lead's key only
    expect(created.event.data.lead).toMatchObject({ name: '', email: null, sourceDetail: null, company: `Erasable GmbH ${tag}` });
    expect(created.message.value).not.toContain(name);
    expect(created.message.value).not.toContain(email);
    expect(openPersonalData(key as Buffer, created.event.data.lead.personal)).toEqual({ name, email, phone, sourceDetail: `Met ${name} at a fair` });

    // Act
    const erased = expectNoErrors(await subject.as(admin)<any>(ERASE, { input: { leadId: lead.id } })).eraseLead;

    // Assert: the lead keeps its business facts, the person is gone from every table, the key is destroyed
    expect(erased.lead).toMatchObject({ id: lead.id, name: 'Erased person', email: null, phone: null, company: `Erasable GmbH ${tag}`, status: 'WORKING' });
    expect(await keyOf(lead.id)).toEqual({ key: null, destroyed_at: new Date(erased.erasedAt) });
    expect(await findTextInDatabase(subject.databaseUrl, [name, email, phone, 'Erin Erasable'])).toEqual([]);
    const fact = await waitFor(() => reader.parsed<any>().find(({ event }) => event.subject === lead.id && event.type === 'sales.lead.erased.v1'), {
      what: 'lead.erased',
    });
    expect(fact.event.data).toEqual({ leadId: lead.id, opportunityId: null, erasedAt: erased.erasedAt, erasedBy: admin.userId });
    // Every event about the lead on the topic, read from offset 0, shows nothing of the person in plain text
    const mine = reader.parsed<any>().filter(({ event }) => event.subject === lead.id);
    expect(mine.length).toBeGreaterThanOrEqual(3);
    for (const { message } of mine) for (const needle of [name, email, phone]) expect(message.value).not.toContain(needle);

    // Act: erase again, and change the lead after erasure
    const again = expectNoErrors(await subject.as(admin)<any>(ERASE, { input: { leadId: lead.id } })).eraseLead;
    expectNoErrors(
      await subject.as(admin)(`mutation($input: UpdateLeadInput!) { updateLead(input: $input) { lead { id } } }`, {
        input: { leadId: lead.id, expectedVersion: erased.lead.version, industry: 'Retail' },
      }),
    );

    // Assert: the same erasure, one fact; a later event carries no envelope (no key is ever made again for the person)
    expect(again.erasedAt).toBe(erased.erasedAt);
    const later = await waitFor(
      () =>
        reader
          .parsed<any>()
          .find(({ event }) => event.subject === lead.id && event.type === 'sales.lead.updated.v1' && event.data.version > erased.lead.version),
      { what: 'lead.updated after erasure' },
    );
    await reader.stop();
    expect(later.event.data.lead.personal).toBeUndefined();
    expect(await keyOf(lead.id)).toMatchObject({ key: null });
    const facts = await subject.service.dataSource.query(`SELECT count(*)::int AS count FROM outbox WHERE aggregateid = $1 AND type = 'sales.lead.erased.v1'`, [
      lead.id,
    ]);
    expect(facts[0].count).toBe(1);
  });

  it('is for admins only: the owning rep, a manager of the team or of another, an analyst, or any mix of those roles gets FORBIDDEN and nothing changes', async () => {
    // Arrange
    const rep = await createRep(subject.as(admin), { teamId: 'north' });
    const lead = await createLead(subject.as(admin), { email: `${randomUUID()}@example.com`, ownerId: rep });
    const before = (await subject.service.dataSource.query('SELECT name, email, version FROM lead WHERE id = $1', [lead.id]))[0];
    const combined: Actor = { userId: rep, roles: ['REP', 'MANAGER', 'ANALYST'], teamId: 'north' };

    // Act
    const refusals = await Promise.all(
      [repActor(rep, 'north'), managerActor('north'), managerActor('south'), analystActor(), combined].map(async (actor) =>
        errorCodes(await subject.as(actor)(ERASE, { input: { leadId: lead.id } })),
      ),
    );

    // Assert
    expect(refusals).toEqual(Array(5).fill(['FORBIDDEN']));
    expect((await subject.service.dataSource.query('SELECT name, email, version FROM lead WHERE id = $1', [lead.id]))[0]).toEqual(before);
    expect(await keyOf(lead.id)).toMatchObject({ destroyed_at: null });
    expect(await erasedFacts(lead.id)).toBe(0);
  });

  it('lets an admin of another team, also holding other roles, erase the lead', async () => {
    // Arrange
    const rep = await createRep(subject.as(admin), { teamId: 'north' });
    const lead = await createLead(subject.as(admin), { email: `${randomUUID()}@example.com`, ownerId: rep });
    const adminElsewhere: Actor = { userId: randomUUID(), roles: ['ANALYST', 'ADMIN'], teamId: 'south' };

    // Act
    const erased = await subject.as(adminElsewhere)(ERASE, { input: { leadId: lead.id } });

    // Assert
    expectNoErrors(erased);
    expect(await keyOf(lead.id)).toMatchObject({ key: null });
    expect(await erasedFacts(lead.id)).toBe(1);
  });

  it('refuses a malformed id with BAD_USER_INPUT and an unknown lead with NOT_FOUND, writing nothing', async () => {
    // Arrange
    const unknownId = randomUUID();
    const keysBefore = await subject.service.dataSource.query('SELECT count(*)::int AS count FROM personal_data_key');

    // Act
    const answers = await Promise.all(
      ['not-an-id', "'; DROP TABLE lead; --", 42, null, unknownId].map((leadId) => subject.as(admin)(ERASE, { input: { leadId } })),
    );

    // Assert
    expect(answers.map(errorCodes)).toEqual([['BAD_USER_INPUT'], ['BAD_USER_INPUT'], ['BAD_USER_INPUT'], ['BAD_USER_INPUT'], ['NOT_FOUND']]);
    expect(await subject.service.dataSource.query('SELECT count(*)::int AS count FROM personal_data_key')).toEqual(keysBefore);
    expect(await erasedFacts(unknownId)).toBe(0);
  });
});
