import { randomUUID } from 'node:crypto';

import { type CloudEvent, createCloudEvent, TOPICS } from '@pipeline/events';
import { adminActor, expectNoErrors, publishEvents, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { createLead, qualify, startLeadService } from '../../test-support';

describe('marking leads converted from opportunity events', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startLeadService('mark_converted');
  });
  afterAll(async () => subject?.stop());

  const opportunityCreated = (opportunityId: string, leadId: string) =>
    createCloudEvent({
      type: 'sales.opportunity.created.v1',
      source: '/sales/opportunity-subgraph',
      subject: opportunityId,
      data: {
        opportunityId,
        version: 1,
        pipelineId: '00000000-0000-4000-8000-000000000001',
        stage: 'QUALIFICATION',
        stageCategory: 'OPEN',
        opportunity: {
          name: 'N',
          accountName: 'A',
          industry: null,
          amount: null,
          probability: 0.1,
          ownerId: null,
          leadId,
          leadSource: 'INBOUND',
          expectedCloseDate: null,
          createdAt: new Date().toISOString(),
        },
      },
    });

  const publish = (events: CloudEvent[]) =>
    publishEvents(
      subject.topicPrefix,
      events.map((event) => ({ topic: TOPICS.opportunityEvents, event })),
    );

  const convertedEvents = async (leadIds: string[]): Promise<Map<string, number>> => {
    const rows: Array<{ lead_id: string; count: number }> = await subject.service.dataSource.query(
      `SELECT aggregateid AS lead_id, count(*)::int AS count FROM outbox WHERE aggregateid = ANY($1::text[]) AND type = 'sales.lead.converted.v1' GROUP BY aggregateid`,
      [leadIds],
    );
    return new Map(rows.map((row) => [row.lead_id, row.count]));
  };

  it('sets CONVERTED and the opportunity link once, even when the event is delivered twice, and publishes lead.converted', async () => {
    // Arrange
    const lead = await createLead(subject.as(admin));
    expectNoErrors(await qualify(subject.as(admin), lead.id));
    const opportunityId = randomUUID();
    const event = opportunityCreated(opportunityId, lead.id);
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.leadEvents}`]);
    await reader.start();

    // Act: the same event delivered twice
    await publish([event, event]);

    // Assert
    const converted = await waitFor(
      async () => {
        const current = expectNoErrors(
          await subject.as(admin)<any>(`query($id: ID!) { lead(id: $id) { status version opportunity { id } } }`, { id: lead.id }),
        ).lead;
        return current.status === 'CONVERTED' ? current : null;
      },
      { what: 'the lead to be converted' },
    );
    expect(converted).toEqual({ status: 'CONVERTED', version: 3, opportunity: { id: opportunityId } });
    const published = await waitFor(
      () => {
        const found = reader.parsed<any>().filter(({ event: item }) => item.subject === lead.id && item.type === 'sales.lead.converted.v1');
        return found.length > 0 ? found : null;
      },
      { what: 'lead.converted' },
    );
    await reader.stop();
    expect(published[0].event.data).toMatchObject({ opportunityId, lead: { status: 'CONVERTED', opportunityId } });
    expect(await convertedEvents([lead.id])).toEqual(new Map([[lead.id, 1]]));
    const qualifyAgain = await qualify(subject.as(admin), lead.id);
    expect(qualifyAgain.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', opportunityId });
  });

  it('matches the lead whatever the letter case of the ids in the event', async () => {
    // Arrange
    const lead = await createLead(subject.as(admin));
    expectNoErrors(await qualify(subject.as(admin), lead.id));
    const opportunityId = randomUUID();

    // Act
    await publish([opportunityCreated(opportunityId.toUpperCase(), lead.id.toUpperCase())]);

    // Assert
    const converted = await waitFor(
      async () => {
        const current = expectNoErrors(await subject.as(admin)<any>(`query($id: ID!) { lead(id: $id) { status opportunity { id } } }`, { id: lead.id })).lead;
        return current.status === 'CONVERTED' ? current : null;
      },
      { what: 'the lead to be converted' },
    );
    expect(converted).toEqual({ status: 'CONVERTED', opportunity: { id: opportunityId } });
  });

  it('converts the leads of several opportunities delivered together, each once and with its own opportunity', async () => {
    // Arrange
    const leads = [await createLead(subject.as(admin)), await createLead(subject.as(admin)), await createLead(subject.as(admin))];
    for (const lead of leads) expectNoErrors(await qualify(subject.as(admin), lead.id));
    const opportunities = leads.map(() => randomUUID());

    // Act
    await publish(leads.map((lead, index) => opportunityCreated(opportunities[index], lead.id)));

    // Assert
    const converted = await waitFor(
      async () => {
        const current = await Promise.all(
          leads.map(
            async (lead) =>
              expectNoErrors(await subject.as(admin)<any>(`query($id: ID!) { lead(id: $id) { id status version opportunity { id } } }`, { id: lead.id })).lead,
          ),
        );
        return current.every((lead) => lead.status === 'CONVERTED') ? current : null;
      },
      { what: 'all three leads to be converted' },
    );
    expect(converted).toEqual(leads.map((lead, index) => ({ id: lead.id, status: 'CONVERTED', version: 3, opportunity: { id: opportunities[index] } })));
    expect(await convertedEvents(leads.map((lead) => lead.id))).toEqual(new Map(leads.map((lead) => [lead.id, 1])));
  });
});
