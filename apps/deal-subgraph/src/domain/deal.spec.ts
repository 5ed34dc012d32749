import { assertCanWin, closeEffect, DEFAULT_DEAL_SETTINGS, needsApproval, type Deal, type DiscountApproval } from './deal';

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
    expect(() => assertCanWin([], [], settings)).toThrow(expect.objectContaining({ code: 'STAGE_GATE_FAILED', details: { unmetCriteria: ['WRITTEN_COMMITMENT'] } }));
    const written = { id: 'c', dealId: 'd', type: 'WRITTEN' as const, committedAt: new Date(), contactName: 'Ann', notes: null, recordedBy: null };
    expect(() => assertCanWin([], [written], settings)).not.toThrow();
  });

  it('is idempotent for the same outcome and a conflict for another', () => {
    const won = deal({ outcome: 'WON' });
    expect(closeEffect(won, { outcome: 'WON', lostReason: null, deferredUntil: null }, '2026-11-26')).toBe('ALREADY_DONE');
    expect(() => closeEffect(won, { outcome: 'LOST', lostReason: 'PRICE', deferredUntil: null }, '2026-11-26')).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(closeEffect(deal(), { outcome: 'WON', lostReason: null, deferredUntil: null }, '2026-11-26')).toBe('APPLY');
  });

  it('lets a deferred deal be won or lost later, and needs a future date to defer', () => {
    const deferred = deal({ outcome: 'DEFERRED', deferredUntil: '2027-03-01' });
    expect(closeEffect(deferred, { outcome: 'WON', lostReason: null, deferredUntil: null }, '2026-11-26')).toBe('APPLY');
    expect(() => closeEffect(deal(), { outcome: 'DEFERRED', lostReason: null, deferredUntil: '2026-11-26' }, '2026-11-26')).toThrow(
      expect.objectContaining({ details: { field: 'deferredUntil' } }),
    );
    expect(() => closeEffect(deal(), { outcome: 'LOST', lostReason: null, deferredUntil: null }, '2026-11-26')).toThrow(expect.objectContaining({ details: { field: 'lostReason' } }));
  });
});
