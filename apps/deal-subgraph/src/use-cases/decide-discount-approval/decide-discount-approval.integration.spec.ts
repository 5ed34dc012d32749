import { randomUUID } from 'node:crypto';

import { errorCodes, expectNoErrors, managerActor, repActor, type TestService, waitFor } from '@pipeline/testing';

import { arrangeOpportunity, DEAL_FIELDS, holdDealLock, publishRep, rowLockState, startDealService } from '../../test-support';

const TERMS = `mutation($input: SetDealTermsInput!) { setDealTerms(input: $input) { deal { ${DEAL_FIELDS} } } }`;
const DECIDE = `mutation($input: DecideDiscountApprovalInput!) { decideDiscountApproval(input: $input) { deal { ${DEAL_FIELDS} } } }`;
const CLOSE = `mutation($input: CloseDealInput!) { closeDeal(input: $input) { deal { id } } }`;
const DEAL = `query($id: ID!) { deal(opportunityId: $id) { ${DEAL_FIELDS} } }`;

describe('deciding discount approvals', () => {
  let subject: TestService;
  const owner = randomUUID();
  const rep = repActor(owner, 'north');
  const manager = managerActor('north');

  beforeAll(async () => {
    subject = await startDealService('discount_approval');
    await publishRep(subject, owner, 'north');
  });
  afterAll(async () => subject?.stop());

  const requestDiscount = async (opportunityId: string): Promise<string> =>
    expectNoErrors(await subject.as(rep)<any>(TERMS, { input: { opportunityId, discountPercent: 25, paymentTermsDays: 30, contractLengthMonths: 24 } }))
      .setDealTerms.deal.approvals[0].id;

  it('refuses to decide once the opportunity is won or lost, and leaves the terms and the approval as they were', async () => {
    // Arrange
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });
    const approvalId = await requestDiscount(opportunityId);
    await arrangeOpportunity(subject, { ownerId: owner, category: 'WON', stage: 'CLOSED_WON', version: 2 }, opportunityId);

    // Act
    const decided = await subject.as(manager)(DECIDE, { input: { approvalId, approve: true } });

    // Assert
    expect(decided.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'WON' });
    const deal = expectNoErrors(await subject.as(manager)<any>(DEAL, { id: opportunityId })).deal;
    expect(deal).toMatchObject({ terms: null, pendingTerms: { discountPercent: 25 }, approvals: [{ id: approvalId, status: 'PENDING', decidedBy: null }] });
  });

  it('refuses to decide once the deal itself is closed, before the opportunity snapshot has heard of it', async () => {
    // Arrange: the snapshot still says OPEN (no opportunity service here to echo the close back)
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });
    const approvalId = await requestDiscount(opportunityId);
    expectNoErrors(await subject.as(rep)(CLOSE, { input: { opportunityId, outcome: 'LOST', lostReason: 'PRICE' } }));

    // Act
    const decided = await subject.as(manager)(DECIDE, { input: { approvalId, approve: true } });

    // Assert
    expect(decided.errors?.[0].extensions).toMatchObject({ code: 'CONFLICT', status: 'LOST' });
    const deal = expectNoErrors(await subject.as(manager)<any>(DEAL, { id: opportunityId })).deal;
    expect(deal).toMatchObject({ terms: null, approvals: [{ id: approvalId, decidedBy: null }] });
  });

  it('locks the deal before the approval, the order setDealTerms locks them in, so the two queue instead of deadlocking', async () => {
    // Arrange
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });
    const approvalId = await requestDiscount(opportunityId);
    const dealLock = await holdDealLock(subject, opportunityId);

    // Act
    const deciding = subject.as(manager)<any>(DECIDE, { input: { approvalId, approve: true } });
    const approvalLock = await waitFor(async () => (await dealLock.waiters()) >= 1, { what: 'decideDiscountApproval to wait for the deal lock' })
      .then(() => rowLockState(subject, 'discount_approval', approvalId))
      .finally(() => dealLock.release());
    const decided = await deciding;

    // Assert
    expect(approvalLock).toBe('FREE');
    expect(errorCodes(decided)).toEqual([]);
    expect(decided.data?.decideDiscountApproval.deal).toMatchObject({
      terms: { discountPercent: 25 },
      approvals: [{ status: 'APPROVED', decidedBy: manager.userId }],
    });
  });
});
