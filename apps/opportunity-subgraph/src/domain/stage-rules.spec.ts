import { type CriterionContext, NO_DEAL_FACTS } from './criteria';
import type { Opportunity } from './opportunity';
import { DEFAULT_PIPELINE_STAGES, type Pipeline } from './pipeline';
import { planMove } from './stage-rules';

const pipeline: Pipeline = { id: 'p', name: 'Sales', isDefault: true, version: 1, stages: DEFAULT_PIPELINE_STAGES };
const at = (stageKey: string, status: Opportunity['status'] = 'OPEN') => ({ id: 'o', stageKey, status }) as Opportunity;
const context = (overrides: Partial<CriterionContext> = {}): CriterionContext => ({
  amount: { amount: '100.00', currency: 'EUR' },
  expectedCloseDate: '2027-01-31',
  ownerId: 'rep',
  activityCount: 0,
  facts: NO_DEAL_FACTS,
  reason: null,
  ...overrides,
});
const unmet = (action: () => unknown) => {
  try {
    action();
  } catch (error) {
    return (error as { details?: { unmetCriteria?: string[] }; code: string }).details?.unmetCriteria ?? (error as { code: string }).code;
  }
  return 'moved';
};

describe('stage gates', () => {
  it('checks every gate a forward move passes, including skipped stages', () => {
    expect(unmet(() => planMove(pipeline, at('QUALIFICATION'), 'NEGOTIATION', context({ amount: null })))).toEqual(['AMOUNT_SET', 'PROPOSAL_SENT']);
    expect(unmet(() => planMove(pipeline, at('QUALIFICATION'), 'NEGOTIATION', context({ facts: { ...NO_DEAL_FACTS, proposalSent: true } })))).toBe('moved');
  });

  it("lets an opportunity close from any open stage once the closing stage's own criteria hold", () => {
    expect(unmet(() => planMove(pipeline, at('QUALIFICATION'), 'CLOSED_WON', context()))).toEqual(['DEAL_WON']);
    expect(unmet(() => planMove(pipeline, at('QUALIFICATION'), 'CLOSED_WON', context({ facts: { ...NO_DEAL_FACTS, outcome: 'WON' } })))).toBe('moved');
    expect(unmet(() => planMove(pipeline, at('PROPOSAL'), 'CLOSED_LOST', context({ reason: 'Budget cut' })))).toBe('moved');
  });

  it('needs a reason to move back, refuses moves out of closed stages unless reopening, and refuses no-op moves', () => {
    expect(unmet(() => planMove(pipeline, at('NEGOTIATION'), 'PROPOSAL', context()))).toEqual(['REASON_REQUIRED']);
    expect(unmet(() => planMove(pipeline, at('CLOSED_LOST', 'LOST'), 'PROPOSAL', context()))).toBe('CONFLICT');
    expect(planMove(pipeline, at('CLOSED_LOST', 'LOST'), 'PROPOSAL', context(), { allowReopen: true }).direction).toBe('REOPEN');
    expect(unmet(() => planMove(pipeline, at('PROPOSAL'), 'PROPOSAL', context()))).toBe('CONFLICT');
  });
});
