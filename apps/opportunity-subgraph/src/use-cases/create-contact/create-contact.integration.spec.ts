import { randomUUID } from 'node:crypto';

import { TOPICS, validateCloudEvent } from '@pipeline/events';
import { openPersonalData } from '@pipeline/persistence';
import { adminActor, analystActor, errorCodes, expectNoErrors, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { createOpportunity, startOpportunityService } from '../../test-support';

const CREATE = `mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id createdAt } } }`;

describe('createContact and the account facts', () => {
  let subject: TestService;
  let reader: TopicReader;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startOpportunityService('create_contact');
    reader = new TopicReader([`${subject.topicPrefix}${TOPICS.accountEvents}`]);
    await reader.start();
  });
  afterAll(async () => {
    await reader?.stop();
    await subject?.stop();
  });

  const factsAbout = (subjectId: string) => reader.parsed<any>().filter(({ event }) => event.subject === subjectId);
  const keyOf = async (subjectId: string): Promise<Buffer> =>
    (await subject.service.dataSource.query('SELECT key FROM personal_data_key WHERE subject_id = $1', [subjectId]))[0]?.key;

  it('publishes sales.account.created.v1 once per new account, whichever path names it first (create, update, import)', async () => {
    // Arrange
    const tag = randomUUID().slice(0, 8);
    const [created, renamed, imported] = [`Initech ${tag}`, `Globex ${tag}`, `Umbrella ${tag}`];

    // Act
    const first = await createOpportunity(subject.as(admin), { accountName: created, industry: 'Software', region: 'DE' });
    await createOpportunity(subject.as(admin), { accountName: `  ${created.toUpperCase()} ` });
    expectNoErrors(
      await subject.as(admin)(`mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { id } } }`, {
        input: { opportunityId: first.id, expectedVersion: first.version, accountName: renamed },
      }),
    );
    expectNoErrors(
      await subject.as(admin)(`mutation($input: ImportOpportunitiesInput!) { importOpportunities(input: $input) { created } }`, {
        input: {
          opportunities: [imported, imported, ''].map((accountName) => ({
            externalId: randomUUID(),
            name: 'Imported',
            accountName,
            createdAt: '2025-01-05T09:00:00Z',
            stages: [{ toStage: 'QUALIFICATION', changedAt: '2025-01-05T09:00:00Z' }],
          })),
        },
      }),
    );
    const accounts: Array<{ id: string; name: string }> = await subject.service.dataSource.query(
      'SELECT id, name FROM account WHERE name = ANY($1::text[]) ORDER BY name',
      [[created, renamed, imported]],
    );
    await waitFor(() => accounts.every((account) => factsAbout(account.id).length > 0), { what: 'the three account facts' });

    // Assert
    expect(accounts.map((account) => account.name).sort()).toEqual([renamed, created, imported].sort());
    for (const account of accounts) {
      const facts = factsAbout(account.id);
      expect(facts.map(({ event }) => event.type)).toEqual(['sales.account.created.v1']);
      expect(facts[0].message.key).toBe(account.id);
      expect(validateCloudEvent(facts[0].event)).toEqual([]);
      expect(facts[0].event.data).toMatchObject({ accountId: account.id, name: account.name, createdBy: admin.userId });
    }
    expect(factsAbout(accounts.find((account) => account.name === created)?.id as string)[0].event.data).toMatchObject({ industry: 'Software', region: 'DE' });
  });

  it('publishes sales.contact.created.v1 with the name, email, phone and title only sealed with a key of the contact', async () => {
    // Arrange
    const tag = randomUUID().slice(0, 8);
    const ada = {
      name: `Ada Lovelace ${tag}`,
      email: `ada.${tag}@example.com`,
      phone: `+44 20 ${tag.replace(/\D/g, '3').slice(0, 6)}`,
      title: `Analyst ${tag}`,
    };
    const opportunity = await createOpportunity(subject.as(admin));
    const [{ account_id: accountId }] = await subject.service.dataSource.query('SELECT account_id FROM opportunity WHERE id = $1', [opportunity.id]);

    // Act
    const contact = expectNoErrors(await subject.as(admin)<any>(CREATE, { input: { accountId, ...ada } })).createContact.contact;
    const [fact] = await waitFor(
      () => {
        const found = factsAbout(contact.id);
        return found.length > 0 ? found : undefined;
      },
      { what: 'sales.contact.created.v1' },
    );

    // Assert
    expect(fact.message.key).toBe(contact.id);
    expect(validateCloudEvent(fact.event)).toEqual([]);
    expect(fact.event).toMatchObject({ type: 'sales.contact.created.v1', subject: contact.id, source: '/sales/opportunity-subgraph' });
    expect(fact.event.data).toEqual({
      contactId: contact.id,
      accountId,
      leadId: null,
      createdAt: contact.createdAt,
      createdBy: admin.userId,
      personal: expect.objectContaining({ alg: 'AES-256-GCM', keyId: contact.id }),
    });
    for (const value of Object.values(ada)) expect(fact.message.value).not.toContain(value);
    expect(openPersonalData(await keyOf(contact.id), fact.event.data.personal)).toEqual(ada);
  });

  it('publishes nothing for a refused contact (an analyst, a bad email, an unknown account)', async () => {
    // Arrange
    const factsBefore = await subject.service.dataSource.query(`SELECT count(*)::int AS count FROM outbox WHERE type = 'sales.contact.created.v1'`);

    // Act
    const answers = [
      await subject.as(analystActor())(CREATE, { input: { name: 'Nobody' } }),
      await subject.as(admin)(CREATE, { input: { name: 'Nobody', email: 'not an email' } }),
      await subject.as(admin)(CREATE, { input: { name: 'Nobody', accountId: randomUUID() } }),
    ];

    // Assert
    expect(answers.map(errorCodes)).toEqual([['FORBIDDEN'], ['BAD_USER_INPUT'], ['NOT_FOUND']]);
    expect(await subject.service.dataSource.query(`SELECT count(*)::int AS count FROM outbox WHERE type = 'sales.contact.created.v1'`)).toEqual(factsBefore);
  });
});
