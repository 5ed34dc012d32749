import { planGateRefusal } from './gate-refusal';
import type { Opportunity } from './opportunity';

describe('planGateRefusal', () => {
  it('records the move tried, from the stage the opportunity is in, with each unmet criterion once', () => {
    // Arrange
    const opportunity = { id: 'o-1', pipelineId: 'p-1', stageKey: 'QUALIFICATION', ownerId: 'rep-1', version: 3 } as Opportunity;
    const at = new Date('2026-11-02T10:00:00Z');

    // Act
    const refusal = planGateRefusal(opportunity, 'NEGOTIATION', ['PROPOSAL_SENT', 'AMOUNT_SET', 'PROPOSAL_SENT'], 'manager-1', at);

    // Assert
    expect(refusal).toEqual({
      opportunityId: 'o-1',
      pipelineId: 'p-1',
      fromStage: 'QUALIFICATION',
      toStage: 'NEGOTIATION',
      unmetCriteria: ['AMOUNT_SET', 'PROPOSAL_SENT'],
      refusedAt: at,
      refusedBy: 'manager-1',
      ownerId: 'rep-1',
      version: 3,
    });
  });
});
