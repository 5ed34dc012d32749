import { randomUUID } from 'node:crypto';

import { TOPICS, validateCloudEvent } from '@pipeline/events';
import { adminActor, analystActor, errorCodes, expectNoErrors, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { createOpportunity, publish, startOpportunityService } from '../../test-support';

const ACCOUNT_FIELDS = 'id accountName account { id name } contacts { role contact { id name title account { id } lead { id } } }';
const LINK = `mutation($input: LinkOpportunityContactInput!) { linkOpportunityContact(input: $input) { opportunity { ${ACCOUNT_FIELDS} } } }`;
const CONTACT = `mutation($input: CreateContactInput!) { createContact(input: $input) { contact { id name account { id name } } } }`;

describe('accounts and contacts', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startOpportunityService('accounts_contacts');
  });
  afterAll(async () => subject?.stop());

  const read = async (id: string) =>
    expectNoErrors(await subject.as(admin)<any>(`query($id: ID!) { opportunity(id: $id) { ${ACCOUNT_FIELDS} } }`, { id })).opportunity;

  it('gives opportunities with the same account name (case and spacing aside) one account, and board and segments group by it', async () => {
    // Arrange
    const name = `Initech ${randomUUID().slice(0, 8)}`;
    const industry = `Accounts ${randomUUID()}`;

    // Act
    const first = await createOpportunity(subject.as(admin), { accountName: name, industry, amount: { amount: '100', currency: 'EUR' } });
    const second = await createOpportunity(subject.as(admin), { accountName: `  ${name.toUpperCase()} `, industry, amount: { amount: '50', currency: 'EUR' } });
    const other = await createOpportunity(subject.as(admin), { industry, amount: { amount: '7', currency: 'EUR' } });

    // Assert
    const [a, b, c] = await Promise.all([read(first.id), read(second.id), read(other.id)]);
    expect(a.account).toEqual({ id: expect.any(String), name });
    expect(b.account.id).toBe(a.account.id);
    expect(c.account.id).not.toBe(a.account.id);
    const data = expectNoErrors(
      await subject.as(admin)<any>(
        `query($filter: OpportunityFilter, $mine: OpportunityFilter, $search: String) {
          opportunitySegments(by: ACCOUNT, filter: $filter) { key count amount { amount } }
          pipelineBoard(filter: $mine) { totalCount }
          accounts(search: $search) { id name }
        }`,
        { filter: { industry }, mine: { accountId: a.account.id }, search: name.toLowerCase() },
      ),
    );
    expect(data.opportunitySegments.find((segment: any) => segment.key === a.account.id)).toEqual({
      key: a.account.id,
      count: 2,
      amount: [{ amount: '150.00' }],
    });
    expect(data.pipelineBoard.totalCount).toBe(2);
    expect(data.accounts).toEqual([{ id: a.account.id, name }]);
  });

  it('names contacts on an opportunity with roles; naming again changes the role; unlinking removes them', async () => {
    // Arrange
    const opportunity = await createOpportunity(subject.as(admin));
    const account = (await read(opportunity.id)).account;
    const contact = expectNoErrors(await subject.as(admin)<any>(CONTACT, { input: { accountId: account.id, name: 'Ada Lovelace', title: 'CFO' } }))
      .createContact.contact;

    // Act
    expectNoErrors(await subject.as(admin)(LINK, { input: { opportunityId: opportunity.id, contactId: contact.id, role: 'INFLUENCER' } }));
    const relinked = expectNoErrors(
      await subject.as(admin)<any>(LINK, { input: { opportunityId: opportunity.id, contactId: contact.id, role: 'DECISION_MAKER' } }),
    ).linkOpportunityContact.opportunity;
    const accountContacts = expectNoErrors(await subject.as(admin)<any>(`query($id: ID!) { account(id: $id) { contacts { id } } }`, { id: account.id })).account
      .contacts;
    const unlinked = expectNoErrors(
      await subject.as(admin)<any>(
        `mutation($input: UnlinkOpportunityContactInput!) { unlinkOpportunityContact(input: $input) { opportunity { contacts { role } } } }`,
        {
          input: { opportunityId: opportunity.id, contactId: contact.id },
        },
      ),
    ).unlinkOpportunityContact.opportunity;

    // Assert
    expect(relinked.contacts).toEqual([
      { role: 'DECISION_MAKER', contact: { id: contact.id, name: 'Ada Lovelace', title: 'CFO', account: { id: account.id }, lead: null } },
    ]);
    expect(accountContacts).toEqual([{ id: contact.id }]);
    expect(unlinked.contacts).toEqual([]);
  });

  it('publishes each link as sales.contact.linked.v1 (with the role before), nothing for the same role again, and sales.contact.unlinked.v1', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.accountEvents}`]);
    await reader.start();
    const opportunity = await createOpportunity(subject.as(admin));
    const account = (await read(opportunity.id)).account;
    const contact = expectNoErrors(await subject.as(admin)<any>(CONTACT, { input: { accountId: account.id, name: 'Ada Lovelace' } })).createContact.contact;
    const link = (role: string) => subject.as(admin)(LINK, { input: { opportunityId: opportunity.id, contactId: contact.id, role } });

    // Act
    for (const role of ['INFLUENCER', 'CHAMPION', 'CHAMPION']) expectNoErrors(await link(role));
    expectNoErrors(
      await subject.as(admin)(`mutation($input: UnlinkOpportunityContactInput!) { unlinkOpportunityContact(input: $input) { opportunity { id } } }`, {
        input: { opportunityId: opportunity.id, contactId: contact.id },
      }),
    );
    const facts = await waitFor(
      () => {
        const found = reader.parsed<any>().filter(({ event }) => event.subject === contact.id);
        return found.some(({ event }) => event.type === 'sales.contact.unlinked.v1') ? found : undefined;
      },
      { what: "the contact's facts up to the unlink" },
    );
    await reader.stop();

    // Assert
    const linkage = { contactId: contact.id, opportunityId: opportunity.id, accountId: account.id };
    expect(facts.map(({ event }) => [event.type, event.data])).toEqual([
      ['sales.contact.created.v1', expect.objectContaining({ contactId: contact.id, accountId: account.id })],
      ['sales.contact.linked.v1', { ...linkage, role: 'INFLUENCER', previousRole: null, linkedAt: expect.any(String), linkedBy: admin.userId }],
      ['sales.contact.linked.v1', { ...linkage, role: 'CHAMPION', previousRole: 'INFLUENCER', linkedAt: expect.any(String), linkedBy: admin.userId }],
      ['sales.contact.unlinked.v1', { ...linkage, role: 'CHAMPION', unlinkedAt: expect.any(String), unlinkedBy: admin.userId }],
    ]);
    expect(facts.every(({ message }) => message.key === contact.id)).toBe(true);
    expect(facts.flatMap(({ event }) => validateCloudEvent(event))).toEqual([]);
  });

  it('refuses a bad role, an unknown contact, and an analyst, writing nothing', async () => {
    // Arrange
    const opportunity = await createOpportunity(subject.as(admin));

    // Act
    const badRole = await subject.as(admin)(LINK, { input: { opportunityId: opportunity.id, contactId: randomUUID(), role: 'BOSS' } });
    const unknown = await subject.as(admin)(LINK, { input: { opportunityId: opportunity.id, contactId: randomUUID(), role: 'CHAMPION' } });
    const byAnalyst = await subject.as(analystActor())(CONTACT, { input: { name: 'Nobody' } });

    // Assert
    expect(errorCodes(badRole)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
    expect(errorCodes(byAnalyst)).toEqual(['FORBIDDEN']);
    expect((await read(opportunity.id)).contacts).toEqual([]);
    expect(
      await subject.service.dataSource.query(`SELECT type FROM outbox WHERE payload #>> '{data,opportunityId}' = $1 AND type LIKE 'sales.contact.%'`, [
        opportunity.id,
      ]),
    ).toEqual([]);
  });

  it("links a converted lead's company as the account and its person as a contact with the role asked", async () => {
    // Arrange: a qualified lead at a company that already has an opportunity
    const company = `Hopper ${randomUUID().slice(0, 8)}`;
    const existing = await createOpportunity(subject.as(admin), { accountName: company });
    const leadId = randomUUID();
    await publish(subject, TOPICS.leadEvents, 'sales.lead.qualified.v1', leadId, {
      leadId,
      version: 2,
      criteriaVersion: 1,
      qualifiedAt: new Date().toISOString(),
      lead: {
        name: 'Grace',
        company,
        email: 'grace@hopper.example',
        industry: 'Software',
        region: 'DE',
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

    // Act
    const converted = expectNoErrors(
      await subject.as(admin)<any>(`mutation($input: ConvertLeadInput!) { convertLead(input: $input) { opportunity { ${ACCOUNT_FIELDS} } } }`, {
        input: { leadId, contactRole: 'CHAMPION' },
      }),
    ).convertLead.opportunity;

    // Assert
    expect(converted.account.id).toBe((await read(existing.id)).account.id);
    expect(converted.contacts).toEqual([
      { role: 'CHAMPION', contact: { id: expect.any(String), name: 'Grace', title: null, account: { id: converted.account.id }, lead: { id: leadId } } },
    ]);
  });

  it('imports a row without an account name with no account', async () => {
    // Act
    const report = expectNoErrors(
      await subject.as(admin)<any>(`mutation($input: ImportOpportunitiesInput!) { importOpportunities(input: $input) { created } }`, {
        input: {
          opportunities: [
            {
              externalId: randomUUID(),
              name: 'GTX Pro',
              accountName: '',
              createdAt: '2025-01-05T09:00:00Z',
              stages: [{ toStage: 'QUALIFICATION', changedAt: '2025-01-05T09:00:00Z' }],
            },
          ],
        },
      }),
    ).importOpportunities;
    const [row] = await subject.service.dataSource.query(
      `SELECT account_id, account_name FROM opportunity WHERE name = 'GTX Pro' ORDER BY created_at DESC LIMIT 1`,
    );

    // Assert
    expect(report.created).toBe(1);
    expect(row).toEqual({ account_id: null, account_name: '' });
  });
});
