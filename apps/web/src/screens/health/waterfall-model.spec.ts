import { currenciesIn, defaultDates, waterfallBars, waterfallInstants, waterfallRows } from './waterfall-model';

const eur = (amount: string) => [{ amount, currency: 'EUR' }];

describe('what changed', () => {
  it('defaults to the last 30 days', () => {
    expect(defaultDates(new Date(2026, 11, 1, 9, 30))).toEqual({ from: '2026-11-01', to: '2026-12-01' });
  });

  it('runs from the start of the first day to the end of the last, or to now for today', () => {
    const now = new Date(2026, 11, 1, 9, 30);
    expect(waterfallInstants('2026-11-01', '2026-11-15', now)).toEqual({
      from: new Date(2026, 10, 1).toISOString(),
      to: new Date(2026, 10, 16).toISOString(),
    });
    expect(waterfallInstants('2026-11-01', '2026-12-01', now)).toEqual({ from: new Date(2026, 10, 1).toISOString(), to: now.toISOString() });
  });

  it('refuses a range the API would refuse, with words a person reads', () => {
    const now = new Date(2026, 11, 1, 9, 30);
    expect(waterfallInstants('2026-11-20', '2026-11-10', now)).toEqual({ error: 'The end must be after the start.' });
    expect(waterfallInstants('2026-12-02', '2026-12-03', now)).toEqual({ error: 'The start must be in the past.' });
    expect(waterfallInstants('', '2026-12-01', now)).toEqual({ error: 'Pick both dates.' });
  });

  it('lists every kind in reading order, zero when the API left it out', () => {
    const rows = waterfallRows([
      { kind: 'WON', count: 1, amount: eur('30000') },
      { kind: 'NEW', count: 2, amount: eur('50000') },
    ]);
    expect(rows.map((row) => [row.kind, row.count, row.amount])).toEqual([
      ['NEW', 2, eur('50000')],
      ['REOPENED', 0, []],
      ['AMOUNT_UP', 0, []],
      ['AMOUNT_DOWN', 0, []],
      ['WON', 1, eur('30000')],
      ['LOST', 0, []],
      ['ADVANCED', 0, []],
      ['SLIPPED', 0, []],
    ]);
  });

  it('draws floating bars that add up from the start to the end, leaving out the moves that carry no money and the steps that moved none', () => {
    const steps = [
      { kind: 'NEW' as const, count: 2, amount: eur('50000') },
      { kind: 'AMOUNT_DOWN' as const, count: 1, amount: eur('5000') },
      { kind: 'WON' as const, count: 1, amount: eur('30000') },
      { kind: 'ADVANCED' as const, count: 3, amount: eur('90000') },
    ];
    const bars = waterfallBars(eur('100000'), steps, eur('115000'), 'EUR');
    expect(bars.map((bar) => [bar.name, bar.base, bar.span])).toEqual([
      ['Start', 0, 100000],
      ['New', 100000, 50000],
      ['Amount down', 145000, 5000],
      ['Won', 115000, 30000],
      ['End', 0, 115000],
    ]);
  });

  it('collects the currencies of every list', () => {
    expect(currenciesIn(eur('1'), [{ amount: '2', currency: 'USD' }], eur('3'))).toEqual(['EUR', 'USD']);
  });
});
