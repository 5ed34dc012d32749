import { compareRates } from './cohort-verdict';
import { wilsonInterval } from './wilson';

describe('compareRates', () => {
  it('says the sample is too small below 30 in either cohort, however large the difference', () => {
    expect(compareRates(wilsonInterval(1, 20), wilsonInterval(19, 20))).toBe('SAMPLE_TOO_SMALL');
    expect(compareRates(wilsonInterval(10, 100), wilsonInterval(28, 29))).toBe('SAMPLE_TOO_SMALL');
  });

  it('calls a change higher or lower only when the intervals do not overlap', () => {
    // 20% vs 50% of 100 each: [0.133, 0.289] vs [0.404, 0.596]
    expect(compareRates(wilsonInterval(20, 100), wilsonInterval(50, 100))).toBe('HIGHER');
    expect(compareRates(wilsonInterval(50, 100), wilsonInterval(20, 100))).toBe('LOWER');
  });

  it('finds no clear difference when the intervals overlap', () => {
    // 30% vs 36% of 100 each: intervals overlap
    expect(compareRates(wilsonInterval(30, 100), wilsonInterval(36, 100))).toBe('NO_CLEAR_DIFFERENCE');
  });
});
