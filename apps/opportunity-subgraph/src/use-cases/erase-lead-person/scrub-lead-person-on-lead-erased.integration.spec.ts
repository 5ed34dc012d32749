import { randomUUID } from 'node:crypto';

import { createCloudEvent, TOPICS } from '@pipeline/events';
import { adminActor, expectNoErrors, findTextInDatabase, publishEvents, type TestService, waitFor } from '@pipeline/testing';

import { publish, startOpportunityService } from '../../test-support';

const CONVERT = `mutation($input: ConvertLeadInput!) { convertLead(input: $input) { opportunity { id } } }`;
const CONTACTS = `query($id: ID!) { opportunity(id: $id) { name accountName contacts { role contact { name email phone lead { id } } } } }`;

describe('a lead person erased, in the opportunity service', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startOpportunityService('erase_lead_person');
  });
  afterAll(async () => subject?.stop());

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
});
