import { Dec, minorUnits, money } from '@pipeline/domain';

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
  // Totals are whole minor units (cents, yen, fils), which add exactly; a key whose deals together could pass 2^53 adds BigInts.
  const scaled = deals.map((deal) => ({ deal, key: `${deal.closeMonth}|${deal.currency}`, minor: toMinor(deal.amount, deal.currency) }));
  const reach = new Map<string, bigint>();
  for (const { key, minor } of scaled) reach.set(key, (reach.get(key) ?? 0n) + (minor < 0n ? -minor : minor));
  const exact = new Map<string, number[]>();
  const large = new Map<string, bigint[]>();
  for (const key of keys) {
    if ((reach.get(key) ?? 0n) <= BigInt(Number.MAX_SAFE_INTEGER)) exact.set(key, new Array<number>(simulations).fill(0));
    else large.set(key, new Array<bigint>(simulations).fill(0n));
  }
  const draws = scaled.map(({ deal, key, minor }) => {
    const small = exact.get(key);
    const big = large.get(key);
    const amount = Number(minor);
    const add = small
      ? (run: number) => {
          small[run] += amount;
        }
      : (run: number) => {
          (big as bigint[])[run] += minor;
        };
    return { winProbability: deal.winProbability, add };
  });
  for (let run = 0; run < simulations; run += 1) {
    for (const draw of draws) {
      if (random() < draw.winProbability) draw.add(run);
    }
  }
  return keys.map((key) => {
    const [month, currency] = key.split('|');
    const sorted = sortedTotals(exact.get(key) ?? (large.get(key) as bigint[]));
    const at = (p: string) => money(quantile(sorted, p).dividedBy(new Dec(10).pow(minorUnits(currency))), currency).amount;
    return { month, currency, p10: at('0.1'), p50: at('0.5'), p90: at('0.9') };
  });
}

function toMinor(amount: string, currency: string): bigint {
  return BigInt(new Dec(amount).times(new Dec(10).pow(minorUnits(currency))).toFixed(0));
}

function sortedTotals(values: number[] | bigint[]): Array<number | bigint> {
  const copy: Array<number | bigint> = [...values];
  return copy.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

// Linear interpolation between closest ranks (as libs/domain's percentile), in decimals so no total is rounded.
function quantile(sorted: Array<number | bigint>, p: string): Dec {
  if (sorted.length === 0) return new Dec(0);
  const rank = new Dec(sorted.length - 1).times(p);
  const lower = rank.floor();
  const below = new Dec(sorted[lower.toNumber()].toString());
  const above = new Dec(sorted[rank.ceil().toNumber()].toString());
  return below.plus(above.minus(below).times(rank.minus(lower)));
}
