import { describeCriteria, filtersFromParams, matchesFollowUp, neighbourColumn, opportunityFilter, paramsFromFilters, withPendingMove } from './board-model';

describe('board view logic', () => {
  it('keeps filters in the address, so a filtered board can be shared and reloaded', () => {
    const filters = filtersFromParams(new URLSearchParams('pipeline=p1&team=north&size=LARGE&stalled=1&industry=Retail'));
    expect(filters).toEqual({ pipelineId: 'p1', ownerId: null, teamId: 'north', industry: 'Retail', sizeBand: 'LARGE', stalled: true, followUp: null });
    expect(paramsFromFilters(filters).toString()).toBe('pipeline=p1&team=north&industry=Retail&size=LARGE&stalled=1');
    expect(paramsFromFilters(filtersFromParams(new URLSearchParams('next=overdue'))).toString()).toBe('next=overdue');
    expect(filtersFromParams(new URLSearchParams('next=none')).followUp).toBe('NO_NEXT_ACTIVITY');
    expect(filtersFromParams(new URLSearchParams('next=bogus')).followUp).toBeNull();
  });

  it('asks the API for the open pipeline with only the filters that are set', () => {
    expect(opportunityFilter(filtersFromParams(new URLSearchParams('owner=o1&stalled=1')))).toEqual({ status: ['OPEN'], ownerId: 'o1', stalled: true });
    expect(opportunityFilter(filtersFromParams(new URLSearchParams('')))).toEqual({ status: ['OPEN'] });
  });

  it('narrows the loaded cards to those with no next activity, or with overdue tasks', () => {
    const planned = { nextActivityAt: '2026-12-02T09:00:00Z', overdueTaskCount: 0 };
    const unplanned = { nextActivityAt: null, overdueTaskCount: 0 };
    const late = { nextActivityAt: '2026-11-30T09:00:00Z', overdueTaskCount: 2 };
    const keep = (filter: Parameters<typeof matchesFollowUp>[1]) => [planned, unplanned, late].map((card) => matchesFollowUp(card, filter));
    expect(keep('NO_NEXT_ACTIVITY')).toEqual([false, true, false]);
    expect(keep('OVERDUE')).toEqual([false, false, true]);
    expect(keep(null)).toEqual([true, true, true]);
  });

  it('shows a dropped card in its new column while the move is on its way, and back where it was without it', () => {
    const columns = [
      { stageKey: 'QUALIFICATION', cards: [{ id: 'a' }, { id: 'b' }] },
      { stageKey: 'PROPOSAL', cards: [{ id: 'c' }] },
    ];
    expect(withPendingMove(columns, { opportunityId: 'b', toStage: 'PROPOSAL' }).map((column) => column.cards.map((card) => card.id))).toEqual([
      ['a'],
      ['b', 'c'],
    ]);
    expect(withPendingMove(columns, null)).toBe(columns);
    expect(withPendingMove(columns, { opportunityId: 'gone', toStage: 'PROPOSAL' })).toBe(columns);
  });

  it("names unmet criteria in the pipeline's words", () => {
    expect(describeCriteria(['PROPOSAL_SENT', 'NEW_RULE'], [{ key: 'PROPOSAL_SENT', description: 'A proposal was sent to the prospect' }])).toEqual([
      { key: 'PROPOSAL_SENT', description: 'A proposal was sent to the prospect' },
      { key: 'NEW_RULE', description: 'new rule' },
    ]);
  });

  it('carries a card one whole column left or right by keyboard, and nowhere past the ends', () => {
    const columns = [
      { id: 'QUALIFICATION', left: 0 },
      { id: 'PROPOSAL', left: 300 },
      { id: 'NEGOTIATION', left: 600 },
    ];
    expect(neighbourColumn(columns, 150, 'right')?.id).toBe('PROPOSAL');
    expect(neighbourColumn(columns, 450, 'left')?.id).toBe('QUALIFICATION');
    expect(neighbourColumn(columns, 750, 'right')).toBeNull();
    expect(neighbourColumn(columns, 150, 'left')).toBeNull();
  });
});
