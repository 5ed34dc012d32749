import { Dec, type Money } from '@pipeline/domain';

import { type PastState, pipelineWaterfall, type Waterfall, type WaterfallKind } from './waterfall';

const open = (position: number, amount: string | null, expectedCloseDate: string | null = '2027-03-31', currency = 'EUR'): PastState => ({
  category: 'OPEN',
  stagePosition: position,
  amount: amount === null ? null : { amount, currency },
  expectedCloseDate,
});
const closed = (category: 'WON' | 'LOST', amount: string): PastState => ({
  category,
  stagePosition: 4,
  amount: { amount, currency: 'EUR' },
  expectedCloseDate: '2027-03-31',
});
const step = (waterfall: Waterfall, kind: WaterfallKind) => waterfall.steps.find((entry) => entry.kind === kind);
const total = (amounts: Money[], currency = 'EUR') => new Dec(amounts.find((entry) => entry.currency === currency)?.amount ?? 0);

describe('pipelineWaterfall', () => {
  it('sorts each opportunity into what moved it, and the steps reconcile start with end', () => {
    // Arrange
    const histories = [
      { before: null, after: open(1, '100') }, // new
      { before: open(1, '200'), after: open(2, '250') }, // advanced, amount up 50
      { before: open(2, '300'), after: open(1, '300') }, // slipped back a stage
      { before: open(2, '400', '2027-01-31'), after: open(2, '350', '2027-02-28') }, // slipped a date, amount down 50
      { before: open(3, '500'), after: closed('WON', '550') }, // won (at its start amount)
      { before: open(1, '600'), after: closed('LOST', '600') }, // lost
      { before: null, after: closed('WON', '700') }, // created and won in between
      { before: closed('LOST', '800'), after: open(1, '800') }, // reopened
      { before: closed('WON', '900'), after: closed('WON', '900') }, // closed before and after: nothing
      { before: null, after: null }, // did not exist yet at the end
    ];

    // Act
    const waterfall = pipelineWaterfall(histories);

    // Assert
    expect(waterfall.steps.map((entry) => [entry.kind, entry.count, entry.amount.map((amount) => amount.amount)])).toEqual([
      ['NEW', 2, ['800.00']],
      ['ADVANCED', 1, ['250.00']],
      ['SLIPPED', 2, ['650.00']],
      ['AMOUNT_UP', 1, ['50.00']],
      ['AMOUNT_DOWN', 1, ['50.00']],
      ['WON', 2, ['1200.00']],
      ['LOST', 1, ['600.00']],
      ['REOPENED', 1, ['800.00']],
    ]);
    expect(waterfall.startOpen).toEqual([{ amount: '2000.00', currency: 'EUR' }]);
    expect(waterfall.endOpen).toEqual([{ amount: '1800.00', currency: 'EUR' }]);
    const moved = (kind: WaterfallKind) => total((step(waterfall, kind) as { amount: Money[] }).amount);
    const reconciled = total(waterfall.startOpen)
      .plus(moved('NEW'))
      .plus(moved('REOPENED'))
      .plus(moved('AMOUNT_UP'))
      .minus(moved('AMOUNT_DOWN'))
      .minus(moved('WON'))
      .minus(moved('LOST'));
    expect(reconciled.toFixed(2)).toBe(total(waterfall.endOpen).toFixed(2));
  });

  it('treats a change of currency as the old amount leaving and the new one arriving', () => {
    const waterfall = pipelineWaterfall([{ before: open(1, '100'), after: open(1, '120', '2027-03-31', 'USD') }]);
    expect(step(waterfall, 'AMOUNT_DOWN')?.amount).toEqual([{ amount: '100.00', currency: 'EUR' }]);
    expect(step(waterfall, 'AMOUNT_UP')?.amount).toEqual([{ amount: '120.00', currency: 'USD' }]);
  });

  it('counts an amount set for the first time as an increase', () => {
    const waterfall = pipelineWaterfall([{ before: open(1, null), after: open(1, '75') }]);
    expect(step(waterfall, 'AMOUNT_UP')).toEqual({ kind: 'AMOUNT_UP', count: 1, amount: [{ amount: '75.00', currency: 'EUR' }] });
  });
});
