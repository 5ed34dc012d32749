import { randomUUID } from 'node:crypto';

import type { Actor } from '@pipeline/domain';
import { ALL_TOPICS, deadLetterTopic, type LeadSnapshot, TOPICS, validateCloudEvent } from '@pipeline/events';
import { openPersonalData } from '@pipeline/persistence';
import {
  adminActor,
  analystActor,
  errorCodes,
  expectNoErrors,
  findTextInDatabase,
  managerActor,
  type PersonalDataOwner,
  readWholeTopics,
  repActor,
  startPersonalDataOwner,
  type TestService,
  type TopicReader,
  waitFor,
} from '@pipeline/testing';

import { createOpportunity, publish, startOpportunityService } from '../../test-support';

const ERASE = `mutation($input: EraseContactInput!) { eraseContact(input: $input) { erasedAt contact { id name email phone title account { id } lead { id } } } }`;
const CREATE = `mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id } } }`;
const LINK = `mutation($input: LinkOpportunityContactInput!) { linkOpportunityContact(input: $input) { opportunity { id } } }`;

// Every message on every topic of the service's namespace, read from offset 0 to the end the broker reports.
async function everyMessage(topicPrefix: string): Promise<TopicReader> {
  return (
    await readWholeTopics(
      ALL_TOPICS.flatMap((topic) => [`${topicPrefix}${topic}`, deadLetterTopic(`${topicPrefix}${topic}`)]),
      30_000,
    )
  ).reader;
}

const plainHits = (reader: TopicReader, needles: string[]): string[] =>
  reader.messages.flatMap((message) =>
    needles
      .filter((needle) => [message.key, message.value, ...Object.values(message.headers)].some((text) => text?.toLowerCase().includes(needle.toLowerCase())))
      .map((needle) => `${message.topic}@${message.offset}: ${needle}`),
  );

describe('eraseContact', () => {
  let subject: TestService;
  let owner: PersonalDataOwner;
  const admin = adminActor();

  beforeAll(async () => {
    owner = await startPersonalDataOwner('erase_contact', ['opportunity-subgraph']);
    const opener = owner.opener('opportunity-subgraph');
    subject = await startOpportunityService('erase_contact', undefined, opener);
  });
  afterAll(async () => {
    await subject?.stop();
    await owner?.stop();
  });

  const sql = <T = any>(query: string, parameters: unknown[] = []): Promise<T[]> => subject.service.dataSource.query(query, parameters);
  const keyOf = async (subjectId: string) => (await sql('SELECT key, destroyed_at FROM personal_data_key WHERE subject_id = $1', [subjectId]))[0];
  const factsOf = async (contactId: string, type: string): Promise<number> =>
    (await sql(`SELECT count(*)::int AS count FROM outbox WHERE aggregateid = $1 AND type = $2`, [contactId, type]))[0].count;
  const person = () => {
    const tag = randomUUID().slice(0, 8);
    return {
      name: `Dorothy Vaughan ${tag}`,
      email: `dorothy.${tag}@example.com`,
      phone: `+1 555 ${tag.replace(/\D/g, '4').slice(0, 6)}`,
      title: `Head of ${tag}`,
    };
  };
  async function contactOnOpportunity(details = person()): Promise<{ contactId: string; opportunityId: string; accountId: string }> {
    const opportunity = await createOpportunity(subject.as(admin));
    const [{ account_id: accountId }] = await sql('SELECT account_id FROM opportunity WHERE id = $1', [opportunity.id]);
    const contactId = expectNoErrors(await subject.as(admin)<any>(CREATE, { input: { accountId, ...details } })).createContact.contact.id;
    expectNoErrors(await subject.as(admin)(LINK, { input: { opportunityId: opportunity.id, contactId, role: 'DECISION_MAKER' } }));
    return { contactId, opportunityId: opportunity.id, accountId };
  }

  it("destroys the contact's key, scrubs the contact and the stored copies, and publishes sales.contact.erased.v1: the person is in no row and no message", async () => {
    // Arrange: a contact named on an opportunity, published sealed with their own key
    const dorothy = person();
    const { contactId, opportunityId, accountId } = await contactOnOpportunity(dorothy);
    const needles = Object.values(dorothy);
    await waitFor(async () => (await sql('SELECT 1 FROM outbox WHERE aggregateid = $1 AND published_at IS NULL', [contactId])).length === 0, {
      what: "the contact's facts on the topic",
    });
    const key = (await keyOf(contactId)).key as Buffer;
    const before = await everyMessage(subject.topicPrefix);
    const created = before.parsed<any>().find(({ event }) => event.type === 'sales.contact.created.v1' && event.subject === contactId);

    // Act
    const erased = expectNoErrors(await subject.as(admin)<any>(ERASE, { input: { contactId } })).eraseContact;

    // Assert: before erasure the person was on the topic only sealed, with the contact's own key
    expect(plainHits(before, needles)).toEqual([]);
    expect(created?.event.data.personal.keyId).toBe(contactId);
    expect(openPersonalData(key, created?.event.data.personal)).toEqual(dorothy);
    // After: the contact keeps its place and names no one; the key is gone; the fact names no one
    expect(erased.contact).toEqual({ id: contactId, name: 'Erased person', email: null, phone: null, title: null, account: { id: accountId }, lead: null });
    expect(await keyOf(contactId)).toEqual({ key: null, destroyed_at: new Date(erased.erasedAt) });
    const contacts = expectNoErrors(
      await subject.as(admin)<any>(`query($id: ID!) { opportunity(id: $id) { contacts { role contact { id name } } } }`, { id: opportunityId }),
    ).opportunity.contacts;
    expect(contacts).toEqual([{ role: 'DECISION_MAKER', contact: { id: contactId, name: 'Erased person' } }]);
    expect(await findTextInDatabase(subject.databaseUrl, [...needles, 'Dorothy Vaughan'])).toEqual([]);
    expect(await sql(`SELECT id FROM outbox WHERE aggregateid = $1 AND payload #> '{data,personal}' IS NOT NULL`, [contactId])).toEqual([]);
    const fact = await waitFor(
      async () =>
        (await everyMessage(subject.topicPrefix)).parsed<any>().find(({ event }) => event.type === 'sales.contact.erased.v1' && event.subject === contactId),
      { what: 'sales.contact.erased.v1 on the topic' },
    );
    expect(fact.message.key).toBe(contactId);
    expect(validateCloudEvent(fact.event)).toEqual([]);
    expect(fact.event.data).toEqual({ contactId, accountId, leadId: null, erasedAt: erased.erasedAt, erasedBy: admin.userId });
    // Read again from offset 0: the name, email, phone and title are in no message of any topic
    const after = await everyMessage(subject.topicPrefix);
    expect(after.messages.filter((message) => message.key === contactId).length).toBeGreaterThanOrEqual(3);
    expect(plainHits(after, [...needles, 'Dorothy Vaughan'])).toEqual([]);
  });

  it('erasing again returns the first erasedAt, changes nothing and publishes no second fact', async () => {
    // Arrange
    const { contactId } = await contactOnOpportunity();
    const first = expectNoErrors(await subject.as(admin)<any>(ERASE, { input: { contactId } })).eraseContact;

    // Act
    const again = expectNoErrors(await subject.as(adminActor())<any>(ERASE, { input: { contactId } })).eraseContact;

    // Assert
    expect(again).toEqual(first);
    expect(await factsOf(contactId, 'sales.contact.erased.v1')).toBe(1);
  });

  it('is for admins only: a rep, managers, an analyst or any mix of those roles get FORBIDDEN and nothing changes', async () => {
    // Arrange
    const dorothy = person();
    const { contactId } = await contactOnOpportunity(dorothy);
    const combined: Actor = { userId: randomUUID(), roles: ['REP', 'MANAGER', 'ANALYST'], teamId: 'north' };

    // Act
    const refusals = await Promise.all(
      [repActor(randomUUID(), 'north'), managerActor('north'), analystActor(), combined].map(async (actor) =>
        errorCodes(await subject.as(actor)(ERASE, { input: { contactId } })),
      ),
    );

    // Assert
    expect(refusals).toEqual(Array(4).fill(['FORBIDDEN']));
    expect(await sql('SELECT name, email, phone, title FROM contact WHERE id = $1', [contactId])).toEqual([dorothy]);
    expect(await keyOf(contactId)).toMatchObject({ destroyed_at: null });
    expect(await factsOf(contactId, 'sales.contact.erased.v1')).toBe(0);
  });

  it('refuses a malformed id with BAD_USER_INPUT and an unknown contact with NOT_FOUND, writing nothing', async () => {
    // Arrange
    const unknownId = randomUUID();
    const keysBefore = await sql('SELECT count(*)::int AS count FROM personal_data_key');

    // Act
    const answers = await Promise.all(
      ['not-an-id', "'; DROP TABLE contact; --", 42, null, unknownId].map((contactId) => subject.as(admin)(ERASE, { input: { contactId } })),
    );

    // Assert
    expect(answers.map(errorCodes)).toEqual([['BAD_USER_INPUT'], ['BAD_USER_INPUT'], ['BAD_USER_INPUT'], ['BAD_USER_INPUT'], ['NOT_FOUND']]);
    expect(answers[0].errors?.[0].extensions?.field).toBe('contactId');
    expect(await sql('SELECT count(*)::int AS count FROM personal_data_key')).toEqual(keysBefore);
    expect(await factsOf(unknownId, 'sales.contact.erased.v1')).toBe(0);
  });

  describe('a contact made from a lead', () => {
    function qualifiedLead(personal: LeadSnapshot['personal']): LeadSnapshot {
      return {
        name: '',
        company: `Langley ${randomUUID().slice(0, 8)}`,
        email: null,
        industry: 'Aerospace',
        region: 'US',
        source: 'REFERRAL',
        sourceDetail: null,
        status: 'QUALIFIED',
        score: 80,
        ownerId: null,
        ownerTeamId: null,
        estimatedValue: null,
        need: null,
        opportunityId: null,
        createdAt: new Date().toISOString(),
        personal,
      };
    }

    it("is sealed with this service's key for the lead, refused with CONFLICT pointing to eraseLead, and erased by the lead's erasure fact", async () => {
      // Arrange: a sealed lead, converted
      const tag = randomUUID().slice(0, 8);
      const mary = { name: `Mary Jackson ${tag}`, email: `mary.${tag}@example.com` };
      const leadId = randomUUID();
      await publish(subject, TOPICS.leadEvents, 'sales.lead.qualified.v1', leadId, {
        leadId,
        version: 2,
        criteriaVersion: 1,
        qualifiedAt: new Date().toISOString(),
        lead: qualifiedLead(await owner.seal(leadId, { ...mary, phone: null, sourceDetail: null })),
      });
      const opportunity = expectNoErrors(
        await subject.as(admin)<any>(`mutation($input: ConvertLeadInput!) { convertLead(input: $input) { opportunity { id contacts { contact { id } } } } }`, {
          input: { leadId, contactRole: 'CHAMPION' },
        }),
      ).convertLead.opportunity;
      const contactId = opportunity.contacts[0].contact.id;
      const [created] = await sql(`SELECT payload FROM outbox WHERE aggregateid = $1 AND type = 'sales.contact.created.v1'`, [contactId]);
      const [linked] = await sql(`SELECT payload FROM outbox WHERE aggregateid = $1 AND type = 'sales.contact.linked.v1'`, [contactId]);

      // Act
      const refused = await subject.as(admin)(ERASE, { input: { contactId } });
      const erasedAt = new Date().toISOString();
      await owner.erase(leadId);
      await publish(subject, TOPICS.leadEvents, 'sales.lead.erased.v1', leadId, { leadId, opportunityId: opportunity.id, erasedAt, erasedBy: admin.userId });
      await waitFor(async () => (await factsOf(contactId, 'sales.contact.erased.v1')) === 1, { what: "the contact's erasure fact" });
      const answered = expectNoErrors(await subject.as(admin)<any>(ERASE, { input: { contactId } })).eraseContact;

      // Assert: sealed with the key for the lead, which only this service held and the erasure destroyed
      expect(created.payload.data).toMatchObject({ contactId, leadId, accountId: expect.any(String), personal: { keyId: leadId } });
      expect(JSON.stringify(created.payload)).not.toContain(mary.name);
      expect(linked.payload.data).toMatchObject({ contactId, opportunityId: opportunity.id, role: 'CHAMPION', previousRole: null });
      expect(errorCodes(refused)).toEqual(['CONFLICT']);
      expect(refused.errors?.[0].extensions?.leadId).toBe(leadId);
      expect(refused.errors?.[0].message).toContain('eraseLead');
      expect(await keyOf(leadId)).toEqual({ key: null, destroyed_at: new Date(erasedAt) });
      expect(answered).toMatchObject({ erasedAt, contact: { id: contactId, name: 'Erased person', email: null, lead: { id: leadId } } });
      expect(await sql(`SELECT id FROM outbox WHERE aggregateid = $1 AND payload #> '{data,personal}' IS NOT NULL`, [contactId])).toEqual([]);
      expect(await findTextInDatabase(subject.databaseUrl, [mary.name, mary.email])).toEqual([]);
      const after = await everyMessage(subject.topicPrefix);
      expect(plainHits(after, [mary.name, mary.email])).toEqual([]);
      const fact = after.parsed<any>().find(({ event }) => event.type === 'sales.contact.erased.v1' && event.subject === contactId);
      expect(fact?.event.data).toEqual({ contactId, accountId: created.payload.data.accountId, leadId, erasedAt, erasedBy: admin.userId });
    });
  });
});
