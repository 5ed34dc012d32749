import { reportCsv, type ReportRow } from './build-report';

const row = (key: string | null, overrides: Partial<ReportRow> = {}): ReportRow => ({
  key,
  openCount: 1,
  openAmount: [{ amount: '10.00', currency: 'EUR' }],
  wonCount: 0,
  lostCount: 0,
  winRate: null,
  averageDealValue: [],
  medianCycleDays: -3,
  ...overrides,
});

describe('report CSV', () => {
  it('writes values a rep typed as text, never as formulas a spreadsheet would run', () => {
    // Arrange: industries as a rep could have entered them
    const rows = ['=2+5', '+SUM(A1)', '@cmd', '-2+3', '\tTAB', '\rCR', 'Software', '-42', null].map((key) => row(key));

    // Act
    const lines = reportCsv('INDUSTRY', rows).trimEnd().split('\n');
    const firstCells = lines.slice(1).map((line) => line.split(',')[0]);

    // Assert
    expect(lines[0]).toBe('industry,open_count,open_amount,won_count,lost_count,win_rate,average_deal_value,median_cycle_days');
    expect(firstCells).toEqual(["'=2+5", "'+SUM(A1)", "'@cmd", "'-2+3", "'\tTAB", '"\'\rCR"', 'Software', '-42', '']);
    expect(lines[1]).toBe("'=2+5,1,10.00 EUR,0,0,,,-3");
  });
});
