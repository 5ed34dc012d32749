import { Dec } from '@pipeline/domain';

// One closed period of one forecast: the range as it stood when the month began, and what was actually won in it.
export interface ForecastOutcome {
  month: string;
  p10: string;
  p50: string;
  p90: string;
  actual: string;
}

export interface ForecastAccuracyStats {
  periods: number;
  // Mean of |actual - p50| over the periods, in the currency (exact decimal).
  meanAbsoluteError: string;
  // sum |actual - p50| / sum actual: weighted, so months with nothing won do not divide by zero. Null when nothing was won.
  weightedAbsolutePercentageError: number | null;
  // sum (p50 - actual) / sum actual: positive means the forecast promised more than was won.
  bias: number | null;
  // Share of periods whose actual fell within [p10, p90]; a calibrated range catches about 0.8 of them.
  withinRangeRate: number | null;
}

export const isWithinRange = (outcome: ForecastOutcome): boolean => new Dec(outcome.actual).gte(outcome.p10) && new Dec(outcome.actual).lte(outcome.p90);

export function measureForecastAccuracy(outcomes: readonly ForecastOutcome[]): ForecastAccuracyStats {
  if (outcomes.length === 0) return { periods: 0, meanAbsoluteError: '0', weightedAbsolutePercentageError: null, bias: null, withinRangeRate: null };
  let absolute = new Dec(0);
  let signed = new Dec(0);
  let actualTotal = new Dec(0);
  let within = 0;
  for (const outcome of outcomes) {
    const actual = new Dec(outcome.actual);
    const p50 = new Dec(outcome.p50);
    absolute = absolute.plus(actual.minus(p50).abs());
    signed = signed.plus(p50.minus(actual));
    actualTotal = actualTotal.plus(actual);
    if (isWithinRange(outcome)) within += 1;
  }
  const hasActuals = !actualTotal.isZero();
  return {
    periods: outcomes.length,
    meanAbsoluteError: absolute.dividedBy(outcomes.length).toDecimalPlaces(4).toFixed(),
    weightedAbsolutePercentageError: hasActuals ? absolute.dividedBy(actualTotal).toNumber() : null,
    bias: hasActuals ? signed.dividedBy(actualTotal).toNumber() : null,
    withinRangeRate: within / outcomes.length,
  };
}
