import { TOPICS, validateCloudEvent } from '@pipeline/events';
import { adminActor, errorCodes, expectNoErrors, type GraphQLCall, testKafkaBrokers, TopicReader, waitFor, waitForCommittedOffset } from '@pipeline/testing';
import { Kafka, logLevel } from 'kafkajs';

import { callAs, topicPrefix } from './e2e-env';
import { convertLead, createLead, createRep, move, opportunityInNegotiation, opportunityStage, qualifyLead } from './scenario';

describe('the walking skeleton, through the gateway with real PostgreSQL and Kafka', () => {
  let admin: GraphQLCall;

  beforeAll(async () => {
    admin = await callAs(adminActor());
  });

  it('creates a rep and a lead with that owner, and qualifies it when every BANT criterion is met', async () => {
    // Arrange
    const ownerId = await createRep(admin);

    // Act
    const leadId = await createLead(admin, ownerId);
    const qualified = await qualifyLead(admin, leadId);

    // Assert
    expect(qualified).toMatchObject({ id: leadId, status: 'QUALIFIED', qualification: { unmetCriteria: [] } });
    const lead = expectNoErrors(await admin<any>(`query($id: ID!) { lead(id: $id) { owner { id } status } }`, { id: leadId })).lead;
    expect(lead).toEqual({ owner: { id: ownerId }, status: 'QUALIFIED' });
  });

  it('converts a qualified lead into an opportunity readable at once; the lead reads CONVERTED within a second', async () => {
    // Arrange
    const ownerId = await createRep(admin);
    const leadId = await createLead(admin, ownerId);
    await qualifyLead(admin, leadId);

    // Act
    const opportunity = await convertLead(admin, leadId);
    const convertedAt = Date.now();

    // Assert
    expect(opportunity).toMatchObject({
      version: 1,
      status: 'OPEN',
      stage: { key: 'QUALIFICATION' },
      amount: { amount: '25000.00', currency: 'EUR' },
      owner: { id: ownerId },
      lead: { id: leadId },
      stageHistory: [{ fromStage: null, toStage: 'QUALIFICATION' }],
    });
    const lead = await waitFor(
      async () => {
        const data = expectNoErrors(await admin<any>(`query($id: ID!) { lead(id: $id) { status opportunity { id stage { key } } } }`, { id: leadId }));
        return data.lead.status === 'CONVERTED' ? data.lead : null;
      },
      { timeoutMs: 5_000, what: 'the lead to read CONVERTED' },
    );
    expect(Date.now() - convertedAt).toBeLessThan(1_000);
    expect(lead.opportunity).toEqual({ id: opportunity.id, stage: { key: 'QUALIFICATION' } });
    const crossRead = expectNoErrors(await admin<any>(`query($id: ID!) { opportunity(id: $id) { lead { id status owner { id } } } }`, { id: opportunity.id }));
    expect(crossRead.opportunity.lead).toEqual({ id: leadId, status: 'CONVERTED', owner: { id: ownerId } });
  });

  it('moves through QUALIFICATION, PROPOSAL and NEGOTIATION with expectedVersion, refusing a stale version, and keeps the history', async () => {
    // Arrange
    const ownerId = await createRep(admin);
    const leadId = await createLead(admin, ownerId);
    await qualifyLead(admin, leadId);
    const { id } = await convertLead(admin, leadId);

    // Act
    const toProposal = expectNoErrors(await move(admin, id, 'PROPOSAL', 1));
    const stale = await move(admin, id, 'NEGOTIATION', 1);
    const gated = await move(admin, id, 'NEGOTIATION', 2);
    const negotiationId = await opportunityInNegotiation(admin, ownerId);

    // Assert
    expect(toProposal.moveOpportunityStage.opportunity).toMatchObject({ version: 2, stage: { key: 'PROPOSAL' } });
    expect(errorCodes(stale)).toEqual(['CONFLICT']);
    expect(errorCodes(gated)).toEqual(['STAGE_GATE_FAILED']);
    expect(gated.errors?.[0].extensions?.unmetCriteria).toEqual(['PROPOSAL_SENT']);
    expect(await opportunityStage(admin, id)).toMatchObject({ stage: 'PROPOSAL', version: 2 });
    const history = expectNoErrors(
      await admin<any>(`query($id: ID!) { opportunity(id: $id) { stageHistory { fromStage toStage changedBy } } }`, { id: negotiationId }),
    );
    expect(history.opportunity.stageHistory.map((entry: any) => [entry.fromStage, entry.toStage])).toEqual([
      [null, 'QUALIFICATION'],
      ['QUALIFICATION', 'PROPOSAL'],
      ['PROPOSAL', 'NEGOTIATION'],
    ]);
  });

  it('closes deals WON and LOST; the opportunities reach CLOSED_WON and CLOSED_LOST through events within a second', async () => {
    // Arrange
    const ownerId = await createRep(admin);
    const wonId = await opportunityInNegotiation(admin, ownerId);
    const lostId = await opportunityInNegotiation(admin, ownerId);

    // Act
    const won = expectNoErrors(
      await admin<any>(`mutation($input: CloseDealInput!) { closeDeal(input: $input) { deal { outcome closedAt } } }`, {
        input: { opportunityId: wonId, outcome: 'WON' },
      }),
    );
    const lost = expectNoErrors(
      await admin<any>(`mutation($input: CloseDealInput!) { closeDeal(input: $input) { deal { outcome lostReason } } }`, {
        input: { opportunityId: lostId, outcome: 'LOST', lostReason: 'COMPETITOR' },
      }),
    );
    const closedAt = Date.now();

    // Assert
    expect(won.closeDeal.deal.outcome).toBe('WON');
    expect(lost.closeDeal.deal).toEqual({ outcome: 'LOST', lostReason: 'COMPETITOR' });
    await waitFor(
      async () => (await opportunityStage(admin, wonId)).stage === 'CLOSED_WON' && (await opportunityStage(admin, lostId)).stage === 'CLOSED_LOST',
      {
        timeoutMs: 5_000,
        what: 'both opportunities to close',
      },
    );
    expect(Date.now() - closedAt).toBeLessThan(1_000);
    expect(await opportunityStage(admin, wonId)).toMatchObject({ status: 'WON' });
    const viaOpportunity = expectNoErrors(await admin<any>(`query($id: ID!) { opportunity(id: $id) { status deal { outcome lostReason } } }`, { id: lostId }));
    expect(viaOpportunity.opportunity).toEqual({ status: 'LOST', deal: { outcome: 'LOST', lostReason: 'COMPETITOR' } });
  });

  it('publishes every stage change, creation and close included, to sales.stage-changed.v1 as events.md specifies', async () => {
    // Arrange
    const reader = new TopicReader([`${topicPrefix()}${TOPICS.stageChanged}`]);
    await reader.start();
    const ownerId = await createRep(admin);
    const opportunityId = await opportunityInNegotiation(admin, ownerId);

    // Act
    expectNoErrors(
      await admin(`mutation($input: CloseDealInput!) { closeDeal(input: $input) { deal { outcome } } }`, { input: { opportunityId, outcome: 'WON' } }),
    );

    // Assert
    const events = await waitFor(
      () => {
        const mine = reader.parsed<any>().filter(({ message }) => message.key === opportunityId);
        return mine.length === 4 ? mine : null;
      },
      { timeoutMs: 10_000, what: 'four stage-changed events' },
    );
    await reader.stop();
    for (const { message, event } of events) {
      expect(validateCloudEvent(event)).toEqual([]);
      expect(message.headers['content-type']).toBe('application/cloudevents+json; charset=UTF-8');
      expect(event).toMatchObject({
        specversion: '1.0',
        type: 'sales.opportunity.stage_changed.v1',
        source: '/sales/opportunity-subgraph',
        subject: opportunityId,
        datacontenttype: 'application/json',
      });
    }
    const data = events.map(({ event }) => event.data).sort((a, b) => a.version - b.version);
    expect(data.map((entry) => [entry.fromStage, entry.toStage, entry.toStageCategory])).toEqual([
      [null, 'QUALIFICATION', 'OPEN'],
      ['QUALIFICATION', 'PROPOSAL', 'OPEN'],
      ['PROPOSAL', 'NEGOTIATION', 'OPEN'],
      ['NEGOTIATION', 'CLOSED_WON', 'WON'],
    ]);
    expect(data.map((entry) => entry.version)).toEqual([1, 2, 3, 4]);
    expect(data[0].previousStageEnteredAt).toBeNull();
    expect(data[1].previousStageEnteredAt).toBe(data[0].changedAt);
    expect(data[3].changedBy).toBeNull();
    expect(data[3].opportunity).toMatchObject({ amount: { amount: '25000.00', currency: 'EUR' }, ownerId, leadSource: 'REFERRAL', probability: 1 });
    expect(new Set(events.map(({ message }) => message.partition)).size).toBe(1);
  });

  it('projects the events into analytics idempotently: a duplicate delivery changes nothing', async () => {
    // Arrange: one rep's book of one open, one won and one lost opportunity
    const ownerId = await createRep(admin);
    await opportunityInNegotiation(admin, ownerId);
    const wonId = await opportunityInNegotiation(admin, ownerId);
    const lostId = await opportunityInNegotiation(admin, ownerId);
    await admin(`mutation($input: CloseDealInput!) { closeDeal(input: $input) { deal { outcome } } }`, { input: { opportunityId: wonId, outcome: 'WON' } });
    await admin(`mutation($input: CloseDealInput!) { closeDeal(input: $input) { deal { outcome } } }`, {
      input: { opportunityId: lostId, outcome: 'LOST', lostReason: 'PRICE' },
    });
    const metrics = async () =>
      expectNoErrors(
        await admin<any>(`query($filter: MetricsFilter) { pipelineMetrics(filter: $filter) { pipelineSize { openCount } wonCount lostCount winRate } }`, {
          filter: { ownerIds: [ownerId] },
        }),
      ).pipelineMetrics;
    const expected = { pipelineSize: { openCount: 1 }, wonCount: 1, lostCount: 1, winRate: 0.5 };
    await waitFor(async () => JSON.stringify(await metrics()) === JSON.stringify(expected), { timeoutMs: 10_000, what: 'analytics to count the book' });

    // Act: deliver the won opportunity's close event again, and wait until analytics has committed past it
    const reader = new TopicReader([`${topicPrefix()}${TOPICS.stageChanged}`]);
    await reader.start();
    const closeEvent = await waitFor(
      () => reader.messages.find((message) => message.key === wonId && JSON.parse(message.value ?? '{}').data?.toStage === 'CLOSED_WON'),
      {
        what: 'the close event',
      },
    );
    await reader.stop();
    const kafka = new Kafka({ clientId: 'e2e-duplicate', brokers: testKafkaBrokers().split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    const [sent] = await producer.send({ topic: closeEvent.topic, messages: [{ key: closeEvent.key, value: closeEvent.value, headers: closeEvent.headers }] });
    await producer.disconnect();
    await waitForCommittedOffset(kafka, `${topicPrefix()}analytics-subgraph`, closeEvent.topic, sent.partition, Number(sent.baseOffset));

    // Assert
    expect(await metrics()).toEqual(expected);
    const wonEvents = expectNoErrors(await admin<any>(`query($id: ID) { stageChangeEvents(opportunityId: $id, first: 10) { totalCount } }`, { id: wonId }));
    expect(wonEvents.stageChangeEvents.totalCount).toBe(4);
  });
});
