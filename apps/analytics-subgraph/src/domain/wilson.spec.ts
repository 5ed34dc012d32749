import { wilsonInterval } from './wilson';

describe('wilsonInterval', () => {
  it.each([
    // Reference values (Newcombe 1998, method 3; also statsmodels proportion_confint(method="wilson"))
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('gives the published 95%% interval for %i of %i', (successes, sample, low, high) => {
    // Act
    const estimate = wilsonInterval(successes, sample);

    // Assert
    expect(estimate.rate).toBeCloseTo(successes / sample, 12);
    expect(estimate.low).toBeCloseTo(low, 4);
    expect(estimate.high).toBeCloseTo(high, 4);
  });

  it('stays within [0, 1] when every trial succeeded, and narrows as the sample grows', () => {
    const small = wilsonInterval(5, 5);
    const large = wilsonInterval(500, 500);
    expect(small.high).toBe(1);
    expect(small.low).toBeGreaterThan(0.5);
    expect(large.low as number).toBeGreaterThan(small.low as number);
  });

  it('has no rate without a sample, and refuses impossible counts', () => {
    expect(wilsonInterval(0, 0)).toEqual({ successes: 0, sample: 0, rate: null, low: null, high: null });
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
    expect(() => wilsonInterval(-1, 2)).toThrow(RangeError);
  });
});
