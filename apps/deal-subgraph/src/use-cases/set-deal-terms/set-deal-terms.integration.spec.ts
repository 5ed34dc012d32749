import { randomUUID } from 'node:crypto';

import { adminActor, errorCodes, expectNoErrors, managerActor, repActor, type TestService } from '@pipeline/testing';

import { arrangeOpportunity, DEAL_FIELDS, publishRep, startDealService } from '../../test-support';

const TERMS = `mutation($input: SetDealTermsInput!) { setDealTerms(input: $input) { deal { ${DEAL_FIELDS} } } }`;
const DECIDE = `mutation($input: DecideDiscountApprovalInput!) { decideDiscountApproval(input: $input) { deal { ${DEAL_FIELDS} } } }`;
const CLOSE = `mutation($input: CloseDealInput!) { closeDeal(input: $input) { deal { ${DEAL_FIELDS} } } }`;

describe('negotiation: terms and discount approvals', () => {
  let subject: TestService;
  const owner = randomUUID();
  const rep = repActor(owner, 'north');
  const manager = managerActor('north');

  beforeAll(async () => {
    subject = await startDealService('deal_terms');
    await publishRep(subject, owner, 'north');
  });
  afterAll(async () => subject?.stop());

  const terms = (opportunityId: string, discountPercent: number) => ({
    input: { opportunityId, discountPercent, paymentTermsDays: 30, contractLengthMonths: 24 },
  });

  it('applies terms within the threshold at once', async () => {
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });
    const deal = expectNoErrors(await subject.as(rep)<any>(TERMS, terms(opportunityId, 10))).setDealTerms.deal;
    expect(deal).toMatchObject({ terms: { discountPercent: 10, paymentTermsDays: 30, contractLengthMonths: 24 }, pendingTerms: null, approvals: [] });
  });

  it('holds a larger discount for a team manager; the terms in force stay until approved, with who and when recorded', async () => {
    // Arrange
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });
    expectNoErrors(await subject.as(rep)(TERMS, terms(opportunityId, 10)));

    // Act
    const pending = expectNoErrors(await subject.as(rep)<any>(TERMS, terms(opportunityId, 25))).setDealTerms.deal;
    const approvalId = pending.approvals[0].id;
    const byRep = await subject.as(rep)(DECIDE, { input: { approvalId, approve: true } });
    const byOtherTeam = await subject.as(managerActor('south'))(DECIDE, { input: { approvalId, approve: true } });
    const winWhilePending = await subject.as(rep)(CLOSE, { input: { opportunityId, outcome: 'WON' } });
    const approved = expectNoErrors(await subject.as(manager)<any>(DECIDE, { input: { approvalId, approve: true, note: 'Strategic logo' } }))
      .decideDiscountApproval.deal;
    const twice = await subject.as(manager)(DECIDE, { input: { approvalId, approve: false } });

    // Assert
    expect(pending).toMatchObject({
      terms: { discountPercent: 10 },
      pendingTerms: { discountPercent: 25 },
      approvals: [{ status: 'PENDING', requestedPercent: 25 }],
    });
    expect(errorCodes(byRep)).toEqual(['FORBIDDEN']);
    expect(errorCodes(byOtherTeam)).toEqual(['NOT_FOUND']);
    expect(errorCodes(winWhilePending)).toEqual(['APPROVAL_REQUIRED']);
    expect(approved).toMatchObject({ terms: { discountPercent: 25 }, pendingTerms: null, approvals: [{ status: 'APPROVED', decidedBy: manager.userId }] });
    expect(errorCodes(twice)).toEqual(['CONFLICT']);
  });

  it('refuses to win with a rejected discount', async () => {
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });
    const pending = expectNoErrors(await subject.as(rep)<any>(TERMS, terms(opportunityId, 40))).setDealTerms.deal;
    expectNoErrors(await subject.as(adminActor())(DECIDE, { input: { approvalId: pending.approvals[0].id, approve: false, note: 'Too deep' } }));
    const win = await subject.as(rep)(CLOSE, { input: { opportunityId, outcome: 'WON' } });
    expect(errorCodes(win)).toEqual(['APPROVAL_REQUIRED']);
    expect(win.errors?.[0].extensions?.approvalStatus).toBe('REJECTED');
  });

  it('validates terms and writes nothing on bad input', async () => {
    const opportunityId = await arrangeOpportunity(subject, { ownerId: owner });
    const responses = await Promise.all([
      subject.as(rep)(TERMS, terms(opportunityId, 120)),
      subject.as(rep)(TERMS, { input: { opportunityId, discountPercent: 5, paymentTermsDays: -1, contractLengthMonths: 12 } }),
      subject.as(rep)(TERMS, { input: { opportunityId, discountPercent: 5, paymentTermsDays: 30, contractLengthMonths: 0 } }),
    ]);
    expect(responses.map((response) => response.errors?.[0].extensions?.field)).toEqual(['discountPercent', 'paymentTermsDays', 'contractLengthMonths']);
    const [{ count }] = await subject.service.dataSource.query('SELECT count(*)::int AS count FROM deal WHERE opportunity_id = $1', [opportunityId]);
    expect(count).toBe(0);
  });
});
