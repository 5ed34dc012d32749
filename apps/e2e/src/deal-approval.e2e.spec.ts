import { randomUUID } from 'node:crypto';

import { adminActor, errorCodes, expectNoErrors, managerActor, repActor, waitFor } from '@pipeline/testing';

import { callAs } from './e2e-env';
import { createRep, opportunityInNegotiation, opportunityStage } from './scenario';

describe('negotiation with a discount approval, end to end through the gateway', () => {
  it('a rep asks for a deep discount, the team manager approves it, the rep wins the deal and the opportunity closes', async () => {
    // Arrange: a rep of team "approvals" owns an opportunity in negotiation
    const admin = await callAs(adminActor());
    const team = `approvals-${randomUUID().slice(0, 6)}`;
    const repId = await createRep(admin, { teamId: team });
    const rep = await callAs(repActor(repId, team));
    const manager = await callAs(managerActor(team));
    const outsider = await callAs(managerActor('another-team'));
    const opportunityId = await opportunityInNegotiation(admin, repId);

    // Act 1: the rep proposes 25% (above the 15% threshold)
    const asked = expectNoErrors(
      await rep<any>(
        `mutation($input: SetDealTermsInput!) { setDealTerms(input: $input) { deal { terms { discountPercent } pendingTerms { discountPercent } approvals { id status } } } }`,
        {
          input: { opportunityId, discountPercent: 25, paymentTermsDays: 45, contractLengthMonths: 36 },
        },
      ),
    ).setDealTerms.deal;
    const approvalId = asked.approvals[0].id;
    const earlyWin = await rep(`mutation($input: CloseDealInput!) { closeDeal(input: $input) { deal { outcome } } }`, {
      input: { opportunityId, outcome: 'WON' },
    });
    const selfApproval = await rep(`mutation($input: DecideDiscountApprovalInput!) { decideDiscountApproval(input: $input) { deal { id } } }`, {
      input: { approvalId, approve: true },
    });
    const foreignApproval = await outsider(`mutation($input: DecideDiscountApprovalInput!) { decideDiscountApproval(input: $input) { deal { id } } }`, {
      input: { approvalId, approve: true },
    });

    // Act 2: the team manager approves; the rep wins
    const approved = expectNoErrors(
      await manager<any>(
        `mutation($input: DecideDiscountApprovalInput!) { decideDiscountApproval(input: $input) { deal { terms { discountPercent paymentTermsDays } approvals { status decidedBy decidedAt } } } }`,
        {
          input: { approvalId, approve: true, note: 'Multi-year commitment' },
        },
      ),
    ).decideDiscountApproval.deal;
    const won = expectNoErrors(
      await rep<any>(`mutation($input: CloseDealInput!) { closeDeal(input: $input) { deal { outcome } } }`, { input: { opportunityId, outcome: 'WON' } }),
    );

    // Assert
    expect(asked).toMatchObject({ terms: null, pendingTerms: { discountPercent: 25 }, approvals: [{ status: 'PENDING' }] });
    expect(errorCodes(earlyWin)).toEqual(['APPROVAL_REQUIRED']);
    expect(errorCodes(selfApproval)).toEqual(['FORBIDDEN']);
    expect(errorCodes(foreignApproval)).toEqual(['NOT_FOUND']);
    expect(approved).toMatchObject({
      terms: { discountPercent: 25, paymentTermsDays: 45 },
      approvals: [{ status: 'APPROVED', decidedAt: expect.any(String) }],
    });
    expect(won.closeDeal.deal.outcome).toBe('WON');
    await waitFor(async () => (await opportunityStage(rep, opportunityId)).stage === 'CLOSED_WON', { timeoutMs: 5_000, what: 'the opportunity to close' });
    const view = expectNoErrors(
      await rep<any>(`query($id: ID!) { opportunity(id: $id) { status owner { id } deal { outcome terms { discountPercent } } } }`, { id: opportunityId }),
    ).opportunity;
    expect(view).toEqual({ status: 'WON', owner: { id: repId }, deal: { outcome: 'WON', terms: { discountPercent: 25 } } });
  });
});
