import { Dec, percentile } from '@pipeline/domain';

export interface OpenDeal {
  amount: string;
  currency: string;
  winProbability: number;
  closeMonth: string;
}

export interface ForecastRange {
  month: string;
  currency: string;
  p10: string;
  p50: string;
  p90: string;
}

// A small seeded generator (mulberry32): the same inputs give the same simulated ranges, run after run.
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

// Monte Carlo over measured win rates: each run wins or loses every open deal independently, and the P10/P50/P90 of the
// won revenue per close month and currency form the range.
export function simulateRevenue(deals: OpenDeal[], simulations: number, seed = 42): ForecastRange[] {
  const random = seededRandom(seed);
  const keys = [...new Set(deals.map((deal) => `${deal.closeMonth}|${deal.currency}`))].sort();
  const totals = new Map<string, number[]>(keys.map((key) => [key, new Array<number>(simulations).fill(0)]));
  for (let run = 0; run < simulations; run += 1) {
    for (const deal of deals) {
      if (random() < deal.winProbability) (totals.get(`${deal.closeMonth}|${deal.currency}`) as number[])[run] += Number(deal.amount);
    }
  }
  return keys.map((key) => {
    const [month, currency] = key.split('|');
    const values = totals.get(key) as number[];
    const at = (p: number) => new Dec(percentile(values, p) ?? 0).toFixed(2);
    return { month, currency, p10: at(0.1), p50: at(0.5), p90: at(0.9) };
  });
}
