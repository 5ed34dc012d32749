import { assertCanWin, closeEffect, type Deal, DEFAULT_DEAL_SETTINGS, type DiscountApproval, needsApproval, planClose, planTerms } from './deal';

const deal = (overrides: Partial<Deal> = {}): Deal => ({
  id: 'd',
  opportunityId: 'o',
  terms: null,
  outcome: null,
  lostReason: null,
  closeNote: null,
  closedAt: null,
  closedBy: null,
  deferredUntil: null,
  competitor: null,
  version: 1,
  createdAt: new Date(),
  updatedAt: new Date(),
  ...overrides,
});

const approval = (status: DiscountApproval['status'], requestedAt: string): DiscountApproval => ({
  id: status + requestedAt,
  dealId: 'd',
  requestedPercent: 20,
  discountPercent: 20,
  paymentTermsDays: 30,
  contractLengthMonths: 12,
  status,
  requestedBy: 'rep',
  requestedAt: new Date(requestedAt),
  decidedBy: null,
  decidedAt: null,
  note: null,
});

describe('deal rules', () => {
  it('needs an approval only above the threshold', () => {
    expect(needsApproval(15, DEFAULT_DEAL_SETTINGS)).toBe(false);
    expect(needsApproval(15.01, DEFAULT_DEAL_SETTINGS)).toBe(true);
  });

  it('refuses to win with a pending or rejected latest approval, and allows it once approved', () => {
    expect(() => assertCanWin([approval('PENDING', '2026-01-01')], [], DEFAULT_DEAL_SETTINGS)).toThrow(expect.objectContaining({ code: 'APPROVAL_REQUIRED' }));
    expect(() => assertCanWin([approval('APPROVED', '2026-01-01'), approval('REJECTED', '2026-01-02')], [], DEFAULT_DEAL_SETTINGS)).toThrow(
      expect.objectContaining({ code: 'APPROVAL_REQUIRED' }),
    );
    expect(() => assertCanWin([approval('REJECTED', '2026-01-01'), approval('APPROVED', '2026-01-02')], [], DEFAULT_DEAL_SETTINGS)).not.toThrow();
  });

  it('needs a written commitment to win when configured so', () => {
    const settings = { ...DEFAULT_DEAL_SETTINGS, requireWrittenCommitmentToWin: true };
    expect(() => assertCanWin([], [], settings)).toThrow(
      expect.objectContaining({ code: 'STAGE_GATE_FAILED', details: { unmetCriteria: ['WRITTEN_COMMITMENT'] } }),
    );
    const written = { id: 'c', dealId: 'd', type: 'WRITTEN' as const, committedAt: new Date(), contactName: 'Ann', notes: null, recordedBy: null };
    expect(() => assertCanWin([], [written], settings)).not.toThrow();
  });

  it('is idempotent for the same outcome and a conflict for another', () => {
    const won = deal({ outcome: 'WON' });
    expect(closeEffect(won, { outcome: 'WON', lostReason: null, deferredUntil: null }, '2026-11-26')).toBe('ALREADY_DONE');
    expect(() => closeEffect(won, { outcome: 'LOST', lostReason: 'PRICE', deferredUntil: null }, '2026-11-26')).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    expect(closeEffect(deal(), { outcome: 'WON', lostReason: null, deferredUntil: null }, '2026-11-26')).toBe('APPLY');
  });

  it('lets a deferred deal be won or lost later, and needs a future date to defer', () => {
    const deferred = deal({ outcome: 'DEFERRED', deferredUntil: '2027-03-01' });
    expect(closeEffect(deferred, { outcome: 'WON', lostReason: null, deferredUntil: null }, '2026-11-26')).toBe('APPLY');
    expect(() => closeEffect(deal(), { outcome: 'DEFERRED', lostReason: null, deferredUntil: '2026-11-26' }, '2026-11-26')).toThrow(
      expect.objectContaining({ details: { field: 'deferredUntil' } }),
    );
    expect(() => closeEffect(deal(), { outcome: 'LOST', lostReason: null, deferredUntil: null }, '2026-11-26')).toThrow(
      expect.objectContaining({ details: { field: 'lostReason' } }),
    );
  });
});

describe('deal plans', () => {
  const now = new Date('2026-11-30T10:00:00Z');
  const won = { outcome: 'WON' as const, lostReason: null, deferredUntil: null, note: 'Signed', competitor: null };
  const amount = { amount: '1000.00', currency: 'EUR' };
  const rules = (approvals: DiscountApproval[] = []) => ({ approvals, commitments: [], settings: DEFAULT_DEAL_SETTINGS });

  it('closes WON with who and when, bumping the version, once the win rules are met', () => {
    // Act
    const next = planClose(deal(), won, { opportunityStatus: 'OPEN', amount, winRules: rules() }, 'rep-1', now);

    // Assert
    expect(next).toMatchObject({ outcome: 'WON', closedAt: now, closedBy: 'rep-1', closeNote: 'Signed', version: 2, updatedAt: now });
  });

  it('refuses a WON close without an amount, with a pending approval, or on a closed opportunity; repeats are no-ops', () => {
    expect(() => planClose(deal(), won, { opportunityStatus: 'OPEN', amount: null, winRules: rules() }, 'rep-1', now)).toThrow(
      expect.objectContaining({ code: 'STAGE_GATE_FAILED' }),
    );
    expect(() => planClose(deal(), won, { opportunityStatus: 'OPEN', amount, winRules: rules([approval('PENDING', '2026-11-01')]) }, 'rep-1', now)).toThrow(
      expect.objectContaining({ code: 'APPROVAL_REQUIRED' }),
    );
    expect(() => planClose(deal(), won, { opportunityStatus: 'LOST', amount, winRules: rules() }, 'rep-1', now)).toThrow(
      expect.objectContaining({ code: 'CONFLICT' }),
    );
    expect(planClose(deal({ outcome: 'WON' }), won, { opportunityStatus: 'WON', amount }, 'rep-1', now)).toBeNull();
  });

  it('defers without closing: no close time, the date kept', () => {
    const next = planClose(
      deal(),
      { outcome: 'DEFERRED', lostReason: null, deferredUntil: '2027-01-15', note: null, competitor: null },
      { opportunityStatus: 'OPEN', amount: null },
      'rep-1',
      now,
    );
    expect(next).toMatchObject({ outcome: 'DEFERRED', closedAt: null, deferredUntil: '2027-01-15' });
  });

  it('puts terms in force within the threshold, and above it keeps the old terms and asks for an approval', () => {
    // Arrange
    const current = deal({ terms: { discountPercent: 5, paymentTermsDays: 30, contractLengthMonths: 12 } });
    const modest = { discountPercent: 10, paymentTermsDays: 45, contractLengthMonths: 24 };
    const deep = { discountPercent: 25, paymentTermsDays: 45, contractLengthMonths: 24 };

    // Act
    const inForce = planTerms(current, modest, DEFAULT_DEAL_SETTINGS, 'rep-1', now, 'a-1');
    const waiting = planTerms(current, deep, DEFAULT_DEAL_SETTINGS, 'rep-1', now, 'a-2');

    // Assert
    expect(inForce).toEqual({ deal: { ...current, terms: modest, version: 2, updatedAt: now }, approval: null });
    expect(waiting.deal.terms).toEqual(current.terms);
    expect(waiting.approval).toMatchObject({ id: 'a-2', dealId: 'd', requestedPercent: 25, status: 'PENDING', requestedBy: 'rep-1', requestedAt: now });
  });
});
