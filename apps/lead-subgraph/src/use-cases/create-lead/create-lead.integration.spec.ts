import { TOPICS, validateCloudEvent } from '@pipeline/events';
import { LOCAL_INTERNAL_SECRET } from '@pipeline/server-kit';
import { adminActor, errorCodes, expectNoErrors, repActor, startTestService, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { leadService } from '../../server';
import { holdExternalId } from '../../test-support';

const CREATE_REP = `mutation($input: CreateSalesRepInput!) { createSalesRep(input: $input) { salesRep { id name openLeadCount } } }`;
const CREATE_LEAD = `mutation($input: CreateLeadInput!) {
  createLead(input: $input) { lead { id status score owner { id } assignmentReason estimatedValue { amount currency } source sourceDetail } }
}`;

describe('createLead', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startTestService('create_lead', leadService({ config: { internalSecret: LOCAL_INTERNAL_SECRET, production: false } }));
  });
  afterAll(async () => subject?.stop());

  async function createRep(overrides: Record<string, unknown> = {}) {
    const data = expectNoErrors(
      await subject.as(admin)<any>(CREATE_REP, {
        input: {
          name: 'Ada',
          email: `ada-${Math.random()}@example.com`,
          role: 'REP',
          teamId: 'emea',
          regions: ['DE'],
          industries: ['Software'],
          capacity: 5,
          ...overrides,
        },
      }),
    );
    return data.createSalesRep.salesRep.id as string;
  }

  it('logs a lead with its source detail and owner, and publishes lead.created and lead.assigned', async () => {
    // Arrange
    const ownerId = await createRep();
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.leadEvents}`]);
    await reader.start();

    // Act
    const response = await subject.as(admin)<any>(CREATE_LEAD, {
      input: {
        name: 'Grace',
        company: 'Hopper GmbH',
        email: 'grace@hopper.example',
        source: 'REFERRAL',
        sourceDetail: 'referred by Ada',
        ownerId,
        estimatedValue: { amount: '12500.5', currency: 'EUR' },
      },
    });

    // Assert
    const lead = expectNoErrors(response).createLead.lead;
    expect(lead).toMatchObject({
      status: 'NEW',
      owner: { id: ownerId },
      source: 'REFERRAL',
      sourceDetail: 'referred by Ada',
      estimatedValue: { amount: '12500.50', currency: 'EUR' },
    });
    expect(lead.score).toBeGreaterThan(0);
    await waitFor(() => reader.messages.filter((message) => message.key === lead.id).length === 2, { what: 'two lead events' });
    const events = reader
      .parsed()
      .filter(({ message }) => message.key === lead.id)
      .map(({ event }) => event);
    expect(events.map((event) => event.type).sort()).toEqual(['sales.lead.assigned.v1', 'sales.lead.created.v1']);
    for (const event of events) expect(validateCloudEvent(event)).toEqual([]);
    await reader.stop();
  });

  it('refuses a duplicate of an open lead by email, naming the existing lead, unless asked to create anyway', async () => {
    // Arrange
    const first = expectNoErrors(
      await subject.as(admin)<any>(CREATE_LEAD, { input: { name: 'Linus', company: 'Kernel AB', email: 'linus@kernel.example', source: 'INBOUND' } }),
    ).createLead.lead;

    // Act
    const duplicate = await subject.as(admin)(CREATE_LEAD, { input: { name: 'L. T.', company: 'Other', email: 'LINUS@kernel.example', source: 'EVENT' } });
    const forced = await subject.as(admin)<any>(CREATE_LEAD, {
      input: { name: 'L. T.', company: 'Other', email: 'LINUS@kernel.example', source: 'EVENT', allowDuplicate: true },
    });

    // Assert
    expect(errorCodes(duplicate)).toEqual(['CONFLICT']);
    expect(duplicate.errors?.[0].extensions?.existingLeadId).toBe(first.id);
    expect(expectNoErrors(forced).createLead.lead.id).not.toBe(first.id);
  });

  it("refuses a duplicate of another team's lead without telling which lead it is or whose", async () => {
    // Arrange
    const owner = await createRep({ teamId: 'north' });
    const outsider = await createRep({ teamId: 'south' });
    const first = expectNoErrors(
      await subject.as(admin)<any>(CREATE_LEAD, {
        input: { name: 'Grace', company: 'Hopper AB', email: `grace-${Math.random()}@hopper.example`, source: 'INBOUND', ownerId: owner },
      }),
    ).createLead.lead;
    const email = (await subject.service.dataSource.query('SELECT email FROM lead WHERE id = $1', [first.id]))[0].email;

    // Act
    const duplicate = await subject.as(repActor(outsider, 'south'))(CREATE_LEAD, { input: { name: 'G. H.', company: 'Elsewhere', email, source: 'EVENT' } });

    // Assert
    expect(errorCodes(duplicate)).toEqual(['CONFLICT']);
    expect(duplicate.errors?.[0].extensions).toEqual({ code: 'CONFLICT', field: 'email' });
    expect(duplicate.errors?.[0].message).not.toContain(first.id);
    expect(duplicate.errors?.[0].message).not.toContain(owner);
  });

  it("counts a rep's open leads only for those who may see them", async () => {
    // Arrange
    const owner = await createRep({ teamId: 'north', capacity: 10 });
    const outsider = await createRep({ teamId: 'south' });
    expectNoErrors(await subject.as(admin)(CREATE_LEAD, { input: { name: 'Count', company: `Count ${Math.random()}`, source: 'INBOUND', ownerId: owner } }));
    const count = (actor: Parameters<TestService['as']>[0]) => subject.as(actor)<any>(`query($id: ID!) { salesRep(id: $id) { openLeadCount } }`, { id: owner });

    // Act
    const [asAdmin, asSelf, asOutsider] = await Promise.all([count(admin), count(repActor(owner, 'north')), count(repActor(outsider, 'south'))]);

    // Assert
    expect(expectNoErrors(asAdmin).salesRep.openLeadCount).toBe(1);
    expect(expectNoErrors(asSelf).salesRep.openLeadCount).toBe(1);
    expect(expectNoErrors(asOutsider).salesRep.openLeadCount).toBe(0);
  });

  it('answers CONFLICT on externalId when a concurrent creation takes it between the check and the insert', async () => {
    // Arrange: another transaction holds the externalId, uncommitted, so the check passes and the insert waits
    const externalId = `crm-${Math.random()}`;
    const held = await holdExternalId(subject.service.dataSource, externalId);
    try {
      const pending = subject.as(admin)(CREATE_LEAD, { input: { name: 'Racer', company: 'Race Co', source: 'INBOUND', externalId } });
      await held.waitForBlockedWriter();

      // Act
      await held.commit();
      const response = await pending;

      // Assert
      expect(errorCodes(response)).toEqual(['CONFLICT']);
      expect(response.errors?.[0].extensions?.field).toBe('externalId');
      const [{ count }] = await subject.service.dataSource.query('SELECT count(*)::int AS count FROM lead WHERE external_id = $1', [externalId]);
      expect(count).toBe(1);
    } finally {
      await held.commit();
    }
  });

  it('lets an admin whose token subject is not a UUID create leads, by rules and by hand', async () => {
    // Arrange
    const ownerId = await createRep();
    const oidcAdmin = { userId: 'auth0|admin-42', roles: ['ADMIN' as const], teamId: null };

    // Act
    const byRules = await subject.as(oidcAdmin)<any>(CREATE_LEAD, { input: { name: 'Sub', company: 'Sub Co', source: 'INBOUND' } });
    const byHand = await subject.as(oidcAdmin)<any>(CREATE_LEAD, { input: { name: 'Sub2', company: 'Sub2 Co', source: 'INBOUND', ownerId } });

    // Assert
    expect(expectNoErrors(byRules).createLead.lead.status).toBe('NEW');
    expect(expectNoErrors(byHand).createLead.lead.owner.id).toBe(ownerId);
  });

  it('rejects bad input with BAD_USER_INPUT naming the field and writes nothing', async () => {
    // Act
    const response = await subject.as(admin)(CREATE_LEAD, { input: { name: '  ', company: 'X', source: 'INBOUND' } });
    const money = await subject.as(admin)(CREATE_LEAD, {
      input: { name: 'N', company: 'X', source: 'INBOUND', estimatedValue: { amount: '1.005', currency: 'EUR' } },
    });

    // Assert
    expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    expect(response.errors?.[0].extensions?.field).toBe('name');
    expect(money.errors?.[0].extensions?.field).toBe('estimatedValue.amount');
    const [{ count }] = await subject.service.dataSource.query(`SELECT count(*)::int AS count FROM lead WHERE company = 'X'`);
    expect(count).toBe(0);
  });

  it('lets a rep create only leads they own', async () => {
    // Arrange
    const repId = await createRep();
    const otherId = await createRep();

    // Act
    const own = await subject.as(repActor(repId, 'emea'))<any>(CREATE_LEAD, { input: { name: 'Own', company: 'Own Co', source: 'EVENT' } });
    const other = await subject.as(repActor(repId, 'emea'))(CREATE_LEAD, { input: { name: 'Theirs', company: 'Their Co', source: 'EVENT', ownerId: otherId } });

    // Assert
    expect(expectNoErrors(own).createLead.lead.owner.id).toBe(repId);
    expect(errorCodes(other)).toEqual(['FORBIDDEN']);
  });

  it('answers UNAUTHENTICATED without the gateway identity', async () => {
    const response = await subject.as(null)(CREATE_LEAD, { input: { name: 'N', company: 'C', source: 'INBOUND' } });
    expect(response.status).toBe(401);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });
});
