import { randomUUID } from 'node:crypto';

import { type LeadSnapshot, TOPICS } from '@pipeline/events';
import type { PersonalDataOpener } from '@pipeline/server-kit';
import { adminActor, errorCodes, expectNoErrors, type PersonalDataOwner, repActor, startPersonalDataOwner, type TestService, waitFor } from '@pipeline/testing';

import { publish, publishRep, startOpportunityService } from '../../test-support';

const CONVERT = `mutation($input: ConvertLeadInput!) { convertLead(input: $input) { opportunity { id name accountName industry amount { amount currency } owner { id } lead { id } leadSource stage { key } version } } }`;

function lead(status: LeadSnapshot['status'], ownerId: string | null): LeadSnapshot {
  return {
    name: 'Grace',
    company: 'Hopper Labs',
    email: 'grace@hopper.example',
    industry: 'Software',
    region: 'DE',
    source: 'EVENT',
    sourceDetail: 'Web Summit',
    status,
    score: 70,
    ownerId,
    ownerTeamId: null,
    estimatedValue: { amount: '42000.00', currency: 'EUR' },
    need: 'Forecasting',
    opportunityId: null,
    createdAt: new Date().toISOString(),
  };
}

describe('convertLead', () => {
  let subject: TestService;
  let owner: PersonalDataOwner;
  const admin = adminActor();
  // The service asks the owner through this; a test may point it at an address where nothing answers.
  let personalData: PersonalDataOpener;

  beforeAll(async () => {
    owner = await startPersonalDataOwner('convert_lead', ['opportunity-subgraph']);
    personalData = owner.opener('opportunity-subgraph');
    subject = await startOpportunityService('convert_lead', undefined, { open: (envelope) => personalData.open(envelope) });
  });
  afterEach(() => {
    personalData = owner.opener('opportunity-subgraph');
  });
  afterAll(async () => {
    await subject?.stop();
    await owner?.stop();
  });

  async function leadWithStatus(status: LeadSnapshot['status'], ownerId: string | null = null): Promise<string> {
    const leadId = randomUUID();
    await publish(subject, TOPICS.leadEvents, status === 'QUALIFIED' ? 'sales.lead.qualified.v1' : 'sales.lead.created.v1', leadId, {
      leadId,
      version: 2,
      lead: lead(status, ownerId),
      ...(status === 'QUALIFIED' ? { criteriaVersion: 1, qualifiedAt: new Date().toISOString() } : {}),
    } as never);
    return leadId;
  }

  it('turns a QUALIFIED lead into an opportunity in the first stage, carrying its company, value, owner and source', async () => {
    // Arrange
    const ownerId = randomUUID();
    await publishRep(subject, ownerId, 'north');
    const leadId = await leadWithStatus('QUALIFIED', ownerId);

    // Act
    const response = await subject.as(admin)<any>(CONVERT, { input: { leadId } });

    // Assert
    expect(expectNoErrors(response).convertLead.opportunity).toMatchObject({
      name: 'Hopper Labs',
      accountName: 'Hopper Labs',
      industry: 'Software',
      amount: { amount: '42000.00', currency: 'EUR' },
      owner: { id: ownerId },
      lead: { id: leadId },
      leadSource: 'EVENT',
      stage: { key: 'QUALIFICATION' },
      version: 1,
    });
  });

  it('refuses a lead that is not QUALIFIED with STAGE_GATE_FAILED', async () => {
    const leadId = await leadWithStatus('NEW');
    const response = await subject.as(admin)(CONVERT, { input: { leadId } });
    expect(errorCodes(response)).toEqual(['STAGE_GATE_FAILED']);
    expect(response.errors?.[0].extensions?.unmetCriteria).toEqual(['LEAD_QUALIFIED']);
  });

  it('converts exactly once: a second call is a CONFLICT naming the opportunity', async () => {
    const leadId = await leadWithStatus('QUALIFIED');
    const first = expectNoErrors(await subject.as(admin)<any>(CONVERT, { input: { leadId } })).convertLead.opportunity;
    const second = await subject.as(admin)(CONVERT, { input: { leadId } });
    expect(errorCodes(second)).toEqual(['CONFLICT']);
    expect(second.errors?.[0].extensions?.opportunityId).toBe(first.id);
  });

  it('refuses an archived lead with CONFLICT and creates nothing; once restored it converts', async () => {
    // Arrange
    const leadId = await leadWithStatus('QUALIFIED');
    const at = new Date().toISOString();
    await publish(subject, TOPICS.leadEvents, 'sales.lead.archived.v1', leadId, {
      leadId,
      version: 3,
      lead: { ...lead('QUALIFIED', null), archived: true },
      reason: 'Duplicate',
      archivedBy: admin.userId,
      archivedAt: at,
    });
    await waitFor(async () => (await subject.service.dataSource.query('SELECT 1 FROM lead_snapshot WHERE id = $1 AND version = 3', [leadId])).length > 0, {
      what: "the archived lead's snapshot",
    });

    // Act
    const refused = await subject.as(admin)(CONVERT, { input: { leadId } });
    await publish(subject, TOPICS.leadEvents, 'sales.lead.restored.v1', leadId, {
      leadId,
      version: 4,
      lead: lead('QUALIFIED', null),
      restoredBy: admin.userId,
    });
    await waitFor(async () => (await subject.service.dataSource.query('SELECT 1 FROM lead_snapshot WHERE id = $1 AND version = 4', [leadId])).length > 0, {
      what: "the restored lead's snapshot",
    });
    const restored = await subject.as(admin)<any>(CONVERT, { input: { leadId } });

    // Assert
    expect(errorCodes(refused)).toEqual(['CONFLICT']);
    expect(refused.errors?.[0].message).toMatch(/archived/);
    expect(refused.errors?.[0].extensions?.leadId).toBe(leadId);
    expect(expectNoErrors(restored).convertLead.opportunity.lead).toEqual({ id: leadId });
    const [{ count }] = await subject.service.dataSource.query('SELECT count(*)::int AS count FROM opportunity WHERE lead_id = $1', [leadId]);
    expect(count).toBe(1);
  });

  it('lets exactly one of two concurrent conversions win', async () => {
    // Arrange
    const leadId = await leadWithStatus('QUALIFIED');

    // Act
    const responses = await Promise.all([subject.as(admin)<any>(CONVERT, { input: { leadId } }), subject.as(admin)<any>(CONVERT, { input: { leadId } })]);

    // Assert
    const winners = responses.filter((response) => !response.errors);
    const losers = responses.filter((response) => response.errors);
    expect(winners).toHaveLength(1);
    expect(losers.map(errorCodes)).toEqual([['CONFLICT']]);
    expect(losers[0].errors?.[0].extensions?.opportunityId).toBe(winners[0].data.convertLead.opportunity.id);
    const [{ count }] = await subject.service.dataSource.query('SELECT count(*)::int AS count FROM opportunity WHERE lead_id = $1', [leadId]);
    expect(count).toBe(1);
  });

  it("hides other reps' leads from a rep (NOT_FOUND) and answers NOT_FOUND for unknown leads", async () => {
    const leadId = await leadWithStatus('QUALIFIED', randomUUID());
    const asOtherRep = await subject.as(repActor(randomUUID()))(CONVERT, { input: { leadId } });
    expect(errorCodes(asOtherRep)).toEqual(['NOT_FOUND']);
  });

  it("takes as long to refuse another rep's lead as a lead it has not heard of, so timing does not reveal that it exists", async () => {
    // Arrange: the other rep's qualified lead is in the snapshot already, so nothing is left to wait for
    const leadId = await leadWithStatus('QUALIFIED', randomUUID());
    await waitFor(async () => (await subject.service.dataSource.query('SELECT 1 FROM lead_snapshot WHERE id = $1', [leadId])).length > 0, {
      what: 'the lead snapshot',
    });
    const started = Date.now();

    // Act
    const response = await subject.as(repActor(randomUUID()))(CONVERT, { input: { leadId } });
    const elapsed = Date.now() - started;

    // Assert: the whole snapshot wait (5 s in these tests), as for an unknown lead
    expect(errorCodes(response)).toEqual(['NOT_FOUND']);
    expect(elapsed).toBeGreaterThanOrEqual(4_900);
  });

  describe('the contact made from the lead', () => {
    const CONTACTS = `query($id: ID!) { opportunity(id: $id) { contacts { role contact { name email lead { id } } } } }`;

    // A lead event as the lead service publishes it since people are sealed: plain fields blanked, the person in personal.
    async function sealedQualifiedLead(person: { name: string; email: string }): Promise<string> {
      const leadId = randomUUID();
      await publish(subject, TOPICS.leadEvents, 'sales.lead.qualified.v1', leadId, {
        leadId,
        version: 2,
        lead: {
          ...lead('QUALIFIED', null),
          name: '',
          email: null,
          sourceDetail: null,
          personal: await owner.seal(leadId, { ...person, phone: null, sourceDetail: null }),
        },
        criteriaVersion: 1,
        qualifiedAt: new Date().toISOString(),
      });
      await waitFor(async () => (await subject.service.dataSource.query('SELECT 1 FROM lead_snapshot WHERE id = $1', [leadId])).length > 0, {
        what: 'the sealed lead snapshot',
      });
      return leadId;
    }
    const contactOf = async (opportunityId: string) => expectNoErrors(await subject.as(admin)<any>(CONTACTS, { id: opportunityId })).opportunity.contacts;
    const person = () => {
      const tag = randomUUID().slice(0, 8);
      return { name: `Katherine Johnson ${tag}`, email: `katherine.${tag}@example.com` };
    };

    it("carries the lead person's name and email, opened through the lead service", async () => {
      // Arrange
      const katherine = person();
      const leadId = await sealedQualifiedLead(katherine);

      // Act
      const converted = expectNoErrors(await subject.as(admin)<any>(CONVERT, { input: { leadId, contactRole: 'CHAMPION' } })).convertLead.opportunity;

      // Assert
      expect(await contactOf(converted.id)).toEqual([{ role: 'CHAMPION', contact: { ...katherine, lead: { id: leadId } } }]);
    });

    it('is "Erased person" with nothing else when the lead was erased before conversion (410 from the owner, or the erasure fact already applied)', async () => {
      // Arrange: one lead whose key the owner destroyed (the fact not yet here), one whose erasure fact arrived
      const [keyDestroyed, factApplied] = [await sealedQualifiedLead(person()), await sealedQualifiedLead(person())];
      await owner.erase(keyDestroyed);
      await owner.erase(factApplied);
      await publish(subject, TOPICS.leadEvents, 'sales.lead.erased.v1', factApplied, {
        leadId: factApplied,
        opportunityId: null,
        erasedAt: new Date().toISOString(),
        erasedBy: admin.userId,
      });
      await waitFor(async () => (await subject.service.dataSource.query('SELECT 1 FROM lead_snapshot WHERE id = $1 AND erased', [factApplied])).length > 0, {
        what: 'the erasure fact applied to the snapshot',
      });

      // Act
      const converted = await Promise.all(
        [keyDestroyed, factApplied].map(async (leadId) => expectNoErrors(await subject.as(admin)<any>(CONVERT, { input: { leadId } })).convertLead.opportunity),
      );

      // Assert
      for (const [index, leadId] of [keyDestroyed, factApplied].entries()) {
        expect(await contactOf(converted[index].id)).toEqual([{ role: 'OTHER', contact: { name: 'Erased person', email: null, lead: { id: leadId } } }]);
      }
    });

    it('fails with SUBGRAPH_UNAVAILABLE (retryable) and creates nothing while the lead service cannot be reached; a retry then converts', async () => {
      // Arrange
      const katherine = person();
      const leadId = await sealedQualifiedLead(katherine);
      personalData = owner.opener('opportunity-subgraph', true);

      // Act
      const refused = await subject.as(admin)(CONVERT, { input: { leadId } });
      const [{ count }] = await subject.service.dataSource.query('SELECT count(*)::int AS count FROM opportunity WHERE lead_id = $1', [leadId]);
      personalData = owner.opener('opportunity-subgraph');
      const retried = expectNoErrors(await subject.as(admin)<any>(CONVERT, { input: { leadId } })).convertLead.opportunity;

      // Assert
      expect(errorCodes(refused)).toEqual(['SUBGRAPH_UNAVAILABLE']);
      expect(refused.errors?.[0].extensions?.serviceName).toBe('lead-subgraph');
      expect(refused.errors?.[0].extensions?.retryable).toBe(true);
      expect(count).toBe(0);
      expect((await contactOf(retried.id))[0].contact).toMatchObject(katherine);
    });
  });
});
