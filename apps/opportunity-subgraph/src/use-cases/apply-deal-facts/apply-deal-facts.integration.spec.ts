import { TOPICS } from '@pipeline/events';
import { adminActor, expectNoErrors, type TestService, waitFor } from '@pipeline/testing';

import { createOpportunity, dealEventData, moveStage, publish, readOpportunity, startOpportunityService } from '../../test-support';

describe('stage automation from deal facts', () => {
  let subject: TestService;
  const admin = adminActor();
  const ready = { amount: { amount: '9000', currency: 'EUR' }, expectedCloseDate: '2027-03-31' };

  beforeAll(async () => {
    subject = await startOpportunityService('deal_facts');
  });
  afterAll(async () => subject?.stop());

  const sent = (opportunityId: string) => ({
    ...dealEventData(opportunityId),
    proposalId: '11111111-1111-4111-8111-111111111111',
    proposalVersion: 1,
    total: { amount: '9000.00', currency: 'EUR' },
    sentAt: new Date().toISOString(),
  });

  it('moves a QUALIFICATION opportunity to PROPOSAL when its proposal is sent', async () => {
    const opportunity = await createOpportunity(subject.as(admin), ready);
    await publish(subject, TOPICS.dealEvents, 'sales.proposal.sent.v1', opportunity.id, sent(opportunity.id));
    const after = await waitFor(
      async () => {
        const current = await readOpportunity(subject.as(admin), opportunity.id);
        return current.stage.key === 'PROPOSAL' ? current : null;
      },
      { what: 'the automated move' },
    );
    expect(after.stageHistory[1]).toMatchObject({ fromStage: 'QUALIFICATION', toStage: 'PROPOSAL', reason: 'Proposal sent' });
  });

  it('leaves an archived opportunity where it is, keeping the fact for when it is restored', async () => {
    // Arrange
    const opportunity = await createOpportunity(subject.as(admin), ready);
    const archived = expectNoErrors(
      await subject.as(admin)<any>(`mutation($input: ArchiveOpportunityInput!) { archiveOpportunity(input: $input) { opportunity { version } } }`, {
        input: { opportunityId: opportunity.id },
      }),
    ).archiveOpportunity.opportunity;

    // Act
    await publish(subject, TOPICS.dealEvents, 'sales.proposal.sent.v1', opportunity.id, sent(opportunity.id));
    await waitFor(
      async () =>
        (await subject.service.dataSource.query('SELECT 1 FROM deal_fact WHERE opportunity_id = $1 AND proposal_sent', [opportunity.id])).length === 1,
      { what: 'the fact to be recorded' },
    );

    // Assert: the fact and any move commit together, so the fact being there means no move is coming
    const after = await readOpportunity(subject.as(admin), opportunity.id);
    expect({ stage: after.stage.key, version: after.version }).toEqual({ stage: 'QUALIFICATION', version: archived.version });
  });

  it('passes automation through the same gates: without an amount it stays put, but the fact is kept for later', async () => {
    // Arrange
    const opportunity = await createOpportunity(subject.as(admin), { expectedCloseDate: '2027-03-31' });

    // Act
    await publish(subject, TOPICS.dealEvents, 'sales.proposal.sent.v1', opportunity.id, sent(opportunity.id));
    await waitFor(
      async () =>
        (await subject.service.dataSource.query('SELECT 1 FROM deal_fact WHERE opportunity_id = $1 AND proposal_sent', [opportunity.id])).length === 1,
      {
        what: 'the fact to be recorded',
      },
    );

    // Assert
    expect((await readOpportunity(subject.as(admin), opportunity.id)).stage.key).toBe('QUALIFICATION');
    expectNoErrors(
      await subject.as(admin)(`mutation($input: UpdateOpportunityInput!) { updateOpportunity(input: $input) { opportunity { id } } }`, {
        input: { opportunityId: opportunity.id, amount: { amount: '100', currency: 'EUR' } },
      }),
    );
    expectNoErrors(await moveStage(subject.as(admin), opportunity.id, 'PROPOSAL'));
    expectNoErrors(await moveStage(subject.as(admin), opportunity.id, 'NEGOTIATION'));
  });

  it('closes WON and LOST from deal outcomes, and keeps a DEFERRED one open with its date', async () => {
    // Arrange
    const [won, lost, deferred] = await Promise.all([
      createOpportunity(subject.as(admin), ready),
      createOpportunity(subject.as(admin), ready),
      createOpportunity(subject.as(admin), ready),
    ]);
    const closed = (opportunityId: string, outcome: 'WON' | 'LOST' | 'DEFERRED') => ({
      ...dealEventData(opportunityId),
      outcome,
      lostReason: outcome === 'LOST' ? ('PRICE' as const) : null,
      closeNote: null,
      closedAt: new Date().toISOString(),
      deferredUntil: outcome === 'DEFERRED' ? '2027-06-01' : null,
    });

    // Act
    await publish(subject, TOPICS.dealEvents, 'sales.deal.closed.v1', won.id, closed(won.id, 'WON'));
    await publish(subject, TOPICS.dealEvents, 'sales.deal.closed.v1', lost.id, closed(lost.id, 'LOST'));
    await publish(subject, TOPICS.dealEvents, 'sales.deal.closed.v1', deferred.id, closed(deferred.id, 'DEFERRED'));

    // Assert
    await waitFor(async () => (await readOpportunity(subject.as(admin), won.id)).status === 'WON', { what: 'won' });
    await waitFor(async () => (await readOpportunity(subject.as(admin), lost.id)).status === 'LOST', { what: 'lost' });
    const parked = await waitFor(
      async () => {
        const current = await readOpportunity(subject.as(admin), deferred.id);
        return current.deferredUntil ? current : null;
      },
      { what: 'deferred' },
    );
    expect(parked).toMatchObject({ status: 'OPEN', deferredUntil: '2027-06-01', stalled: false });
    expect((await readOpportunity(subject.as(admin), lost.id)).lostReason).toBe('PRICE');
    const activeOnly = expectNoErrors(
      await subject.as(admin)<any>(`query($filter: OpportunityFilter) { opportunities(filter: $filter, first: 500) { edges { node { id } } } }`, {
        filter: { includeDeferred: false },
      }),
    ).opportunities.edges.map((edge: any) => edge.node.id);
    expect(activeOnly).toEqual(expect.arrayContaining([won.id, lost.id]));
    expect(activeOnly).not.toContain(deferred.id);
  });
});
