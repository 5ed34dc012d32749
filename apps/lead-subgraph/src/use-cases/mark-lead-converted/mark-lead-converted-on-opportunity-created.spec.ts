import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { createCloudEvent, TOPICS } from '@pipeline/events';
import { adminActor, expectNoErrors, testKafkaBrokers, TopicReader, waitFor, type TestService } from '@pipeline/testing';
import { createLead, qualify, startLeadService } from '../../test-support';

describe('marking leads converted from opportunity events', () => {
  let subject: TestService;
  const admin = adminActor();

  beforeAll(async () => {
    subject = await startLeadService('mark_converted');
  });
  afterAll(async () => subject?.stop());

  it('sets CONVERTED and the opportunity link once, even when the event is delivered twice, and publishes lead.converted', async () => {
    // Arrange
    const lead = await createLead(subject.as(admin));
    expectNoErrors(await qualify(subject.as(admin), lead.id));
    const opportunityId = randomUUID();
    const event = createCloudEvent({
      type: 'sales.opportunity.created.v1',
      source: '/sales/opportunity-subgraph',
      subject: opportunityId,
      data: {
        opportunityId,
        version: 1,
        pipelineId: '00000000-0000-4000-8000-000000000001',
        stage: 'QUALIFICATION',
        stageCategory: 'OPEN',
        opportunity: { name: 'N', accountName: 'A', industry: null, amount: null, probability: 0.1, ownerId: null, leadId: lead.id, leadSource: 'INBOUND', expectedCloseDate: null, createdAt: new Date().toISOString() },
      },
    });
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.leadEvents}`]);
    await reader.start();

    // Act
    const producer = new Kafka({ clientId: 'test', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const message = { key: opportunityId, value: JSON.stringify(event) };
    await producer.send({ topic: `${subject.topicPrefix}${TOPICS.opportunityEvents}`, messages: [message, message] });
    await producer.disconnect();

    // Assert
    const converted = await waitFor(async () => {
      const current = expectNoErrors(await subject.as(admin)<any>(`query($id: ID!) { lead(id: $id) { status version opportunity { id } } }`, { id: lead.id })).lead;
      return current.status === 'CONVERTED' ? current : null;
    }, { what: 'the lead to be converted' });
    expect(converted).toEqual({ status: 'CONVERTED', version: 3, opportunity: { id: opportunityId } });
    const published = await waitFor(() => reader.parsed<any>().filter(({ event: item }) => item.subject === lead.id && item.type === 'sales.lead.converted.v1'), {
      what: 'lead.converted',
    });
    await reader.stop();
    expect(published).toHaveLength(1);
    expect(published[0].event.data).toMatchObject({ opportunityId, lead: { status: 'CONVERTED', opportunityId } });
    const qualifyAgain = await qualify(subject.as(admin), lead.id);
    expect(qualifyAgain.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', opportunityId });
  });
});
