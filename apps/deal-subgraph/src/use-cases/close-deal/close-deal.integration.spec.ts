import { randomUUID } from 'node:crypto';

import { TOPICS } from '@pipeline/events';
import { adminActor, analystActor, errorCodes, expectNoErrors, managerActor, repActor, type TestService, TopicReader, waitFor } from '@pipeline/testing';

import { arrangeOpportunity, DEAL_FIELDS, dealDepsFor, publishRep, startDealService } from '../../test-support';
import { closeDeal } from './close-deal';

const CLOSE = `mutation($input: CloseDealInput!) { closeDeal(input: $input) { deal { ${DEAL_FIELDS} } } }`;
const COMMIT = `mutation($input: RecordCommitmentInput!) { recordCommitment(input: $input) { deal { ${DEAL_FIELDS} } } }`;
const REOPEN = `mutation($input: ReopenDealInput!) { reopenDeal(input: $input) { deal { ${DEAL_FIELDS} } } }`;

describe('commitments and closing', () => {
  let subject: TestService;
  const admin = adminActor();
  const owner = randomUUID();
  const rep = repActor(owner, 'north');

  beforeAll(async () => {
    subject = await startDealService('close_deal');
    await publishRep(subject, owner, 'north');
  });
  afterAll(async () => subject?.stop());

  it('closes WON and publishes deal.closed with the amount; closing again the same way changes nothing; another outcome conflicts', async () => {
    // Arrange
    const reader = new TopicReader([`${subject.topicPrefix}${TOPICS.dealEvents}`]);
    await reader.start();
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });

    // Act
    const won = expectNoErrors(await subject.as(rep)<any>(CLOSE, { input: { opportunityId, outcome: 'WON', note: 'Signed' } })).closeDeal.deal;
    const again = expectNoErrors(await subject.as(rep)<any>(CLOSE, { input: { opportunityId, outcome: 'WON' } })).closeDeal.deal;
    const lost = await subject.as(rep)(CLOSE, { input: { opportunityId, outcome: 'LOST', lostReason: 'PRICE' } });

    // Assert
    expect(won).toMatchObject({ outcome: 'WON', closedAt: expect.any(String) });
    expect(again.version).toBe(won.version);
    expect(errorCodes(lost)).toEqual(['CONFLICT']);
    const closed = await waitFor(
      () => {
        const mine = reader.parsed<any>().filter(({ event }) => event.subject === opportunityId && event.type === 'sales.deal.closed.v1');
        return mine.length >= 1 ? mine : null;
      },
      { what: 'deal.closed' },
    );
    await reader.stop();
    // The outbox is where a second close would show for certain; the topic may not have delivered it yet.
    const [{ count }] = await subject.service.dataSource.query(
      `SELECT count(*)::int AS count FROM outbox WHERE aggregateid = $1 AND type = 'sales.deal.closed.v1'`,
      [opportunityId],
    );
    expect(count).toBe(1);
    expect(closed[0].event.data).toMatchObject({ outcome: 'WON', amount: { amount: '50000.00', currency: 'EUR' }, closeNote: 'Signed' });
  });

  it('needs a lost reason from the taxonomy to close LOST, and keeps the competitor', async () => {
    // Arrange
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });

    // Act
    const missing = await subject.as(rep)(CLOSE, { input: { opportunityId, outcome: 'LOST' } });
    // Called directly: through GraphQL the LostReason enum would refuse it before the use case runs.
    const unknown = await closeDeal(dealDepsFor(subject), rep, { opportunityId, outcome: 'LOST', lostReason: 'BAD_KARMA' }).catch((error: unknown) => error);
    const lost = expectNoErrors(
      await subject.as(rep)<any>(CLOSE, { input: { opportunityId, outcome: 'LOST', lostReason: 'COMPETITOR', competitor: 'Globex' } }),
    ).closeDeal.deal;

    // Assert
    expect(missing.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lostReason' });
    expect(unknown).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'lostReason' } });
    expect(lost).toMatchObject({ outcome: 'LOST', lostReason: 'COMPETITOR', competitor: 'Globex' });
  });

  it('parks a DEFERRED deal until a future date without closing it', async () => {
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });
    const past = await subject.as(rep)(CLOSE, { input: { opportunityId, outcome: 'DEFERRED', deferredUntil: '2020-01-01' } });
    const deferred = expectNoErrors(await subject.as(rep)<any>(CLOSE, { input: { opportunityId, outcome: 'DEFERRED', deferredUntil: '2031-04-01' } })).closeDeal
      .deal;
    const laterWon = expectNoErrors(await subject.as(rep)<any>(CLOSE, { input: { opportunityId, outcome: 'WON' } })).closeDeal.deal;
    expect(past.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'deferredUntil' });
    expect(deferred).toMatchObject({ outcome: 'DEFERRED', deferredUntil: '2031-04-01', closedAt: null });
    expect(laterWon.outcome).toBe('WON');
  });

  it('can require a written commitment to win (configurable), and records commitments with the contact', async () => {
    // Arrange
    const settings = (requireWrittenCommitmentToWin: boolean) =>
      subject.as(admin)(`mutation($input: UpdateDealSettingsInput!) { updateDealSettings(input: $input) { settings { requireWrittenCommitmentToWin } } }`, {
        input: { discountApprovalThresholdPercent: 15, requireWrittenCommitmentToWin },
      });
    expectNoErrors(await settings(true));
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });

    // Act
    expectNoErrors(await subject.as(rep)(COMMIT, { input: { opportunityId, type: 'VERBAL', contactName: 'Bill Lumbergh' } }));
    const withVerbalOnly = await subject.as(rep)(CLOSE, { input: { opportunityId, outcome: 'WON' } });
    const written = expectNoErrors(
      await subject.as(rep)<any>(COMMIT, { input: { opportunityId, type: 'WRITTEN', contactName: 'Bill Lumbergh', notes: 'PO attached' } }),
    ).recordCommitment.deal;
    const won = await subject.as(rep)<any>(CLOSE, { input: { opportunityId, outcome: 'WON' } });
    expectNoErrors(await settings(false));

    // Assert
    expect(withVerbalOnly.errors?.[0].extensions).toMatchObject({ code: 'STAGE_GATE_FAILED', unmetCriteria: ['WRITTEN_COMMITMENT'] });
    expect(written.commitments).toEqual([
      { type: 'VERBAL', contactName: 'Bill Lumbergh' },
      { type: 'WRITTEN', contactName: 'Bill Lumbergh' },
    ]);
    expect(expectNoErrors(won).closeDeal.deal.outcome).toBe('WON');
  });

  it('refuses to win without an amount on the opportunity (the close gate the opportunity service applies)', async () => {
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner, amount: null });
    const response = await subject.as(rep)(CLOSE, { input: { opportunityId, outcome: 'WON' } });
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'STAGE_GATE_FAILED', unmetCriteria: ['AMOUNT_SET'] });
  });

  it('lets a manager of the team reopen a closed deal with a reason; reps and analysts cannot', async () => {
    // Arrange
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });
    expectNoErrors(await subject.as(rep)(CLOSE, { input: { opportunityId, outcome: 'LOST', lostReason: 'TIMING' } }));

    // Act
    const byRep = await subject.as(rep)(REOPEN, { input: { opportunityId, reason: 'Budget came back' } });
    const byAnalyst = await subject.as(analystActor())(REOPEN, { input: { opportunityId, reason: 'x' } });
    const reopened = expectNoErrors(await subject.as(managerActor('north'))<any>(REOPEN, { input: { opportunityId, reason: 'Budget came back' } })).reopenDeal
      .deal;

    // Assert
    expect([byRep, byAnalyst].map(errorCodes)).toEqual([['FORBIDDEN'], ['FORBIDDEN']]);
    expect(reopened).toMatchObject({ outcome: null, lostReason: null, closedAt: null });
  });

  it('lets analysts read deals but not change them', async () => {
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });
    expectNoErrors(await subject.as(rep)(COMMIT, { input: { opportunityId, type: 'VERBAL', contactName: 'Milton' } }));
    const read = expectNoErrors(
      await subject.as(analystActor())<any>(`query($id: ID!) { deal(opportunityId: $id) { commitments { contactName } } }`, { id: opportunityId }),
    );
    const write = await subject.as(analystActor())(CLOSE, { input: { opportunityId, outcome: 'WON' } });
    expect(read.deal.commitments).toEqual([{ contactName: 'Milton' }]);
    expect(errorCodes(write)).toEqual(['FORBIDDEN']);
  });
});
