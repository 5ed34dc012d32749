// The "What changed" panel's view logic: the dates a person picks as instants, the steps in reading order, the bars.
import type { Money } from '../../app/format';

const DAY_MS = 86_400_000;

export type WaterfallKind = 'NEW' | 'ADVANCED' | 'SLIPPED' | 'AMOUNT_UP' | 'AMOUNT_DOWN' | 'WON' | 'LOST' | 'REOPENED';

// Reading order, each with its label and what it does to the open amount (ADVANCED and SLIPPED move no money).
export const STEPS: ReadonlyArray<{ kind: WaterfallKind; label: string; effect: 1 | -1 | 0 }> = [
  { kind: 'NEW', label: 'New', effect: 1 },
  { kind: 'REOPENED', label: 'Reopened', effect: 1 },
  { kind: 'AMOUNT_UP', label: 'Amount up', effect: 1 },
  { kind: 'AMOUNT_DOWN', label: 'Amount down', effect: -1 },
  { kind: 'WON', label: 'Won', effect: -1 },
  { kind: 'LOST', label: 'Lost', effect: -1 },
  { kind: 'ADVANCED', label: 'Advanced', effect: 0 },
  { kind: 'SLIPPED', label: 'Slipped', effect: 0 },
];

const isoDate = (date: Date): string => `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;

// The default: the last 30 days, as dates in the person's zone.
export function defaultDates(now: Date = new Date()): { from: string; to: string } {
  return { from: isoDate(new Date(now.getTime() - 30 * DAY_MS)), to: isoDate(now) };
}

// From the start of the first day to the end of the last (now, for today): the API takes past instants only.
export function waterfallInstants(fromDate: string, toDate: string, now: Date = new Date()): { from: string; to: string } | { error: string } {
  const start = new Date(`${fromDate}T00:00:00`);
  const dayAfter = new Date(`${toDate}T00:00:00`);
  if (Number.isNaN(start.getTime()) || Number.isNaN(dayAfter.getTime())) return { error: 'Pick both dates.' };
  dayAfter.setDate(dayAfter.getDate() + 1);
  const end = dayAfter > now ? now : dayAfter;
  if (start >= now) return { error: 'The start must be in the past.' };
  if (end <= start) return { error: 'The end must be after the start.' };
  return { from: start.toISOString(), to: end.toISOString() };
}

export interface StepLike {
  kind: WaterfallKind;
  count: number;
  amount: readonly Money[];
}

// Every kind in reading order, zero when the API left it out.
export function waterfallRows<T extends StepLike>(
  steps: readonly T[],
): Array<{ kind: WaterfallKind; label: string; effect: 1 | -1 | 0; count: number; amount: readonly Money[] }> {
  const byKind = new Map(steps.map((step) => [step.kind, step]));
  return STEPS.map((step) => ({ ...step, count: byKind.get(step.kind)?.count ?? 0, amount: byKind.get(step.kind)?.amount ?? [] }));
}

export function currenciesIn(...lists: ReadonlyArray<readonly Money[]>): string[] {
  return [...new Set(lists.flat().map((money) => money.currency))].sort();
}

const amountIn = (list: readonly Money[], currency: string): number => Number(list.find((money) => money.currency === currency)?.amount ?? 0);

export interface Bar {
  name: string;
  // Drawing only: an invisible base and the visible span; the table holds the API's decimal strings.
  base: number;
  span: number;
  effect: 1 | -1 | 0;
}

// A floating-bar waterfall in one currency: start, the steps that moved money in it, end.
export function waterfallBars(startOpen: readonly Money[], steps: readonly StepLike[], endOpen: readonly Money[], currency: string): Bar[] {
  let running = amountIn(startOpen, currency);
  const bars: Bar[] = [{ name: 'Start', base: 0, span: running, effect: 0 }];
  for (const row of waterfallRows(steps).filter((step) => step.effect !== 0)) {
    const value = amountIn(row.amount, currency);
    // A step that moved nothing in this currency is left out of the drawing (the table still lists it).
    if (value === 0) continue;
    const base = row.effect > 0 ? running : running - value;
    running += row.effect * value;
    bars.push({ name: row.label, base, span: value, effect: row.effect });
  }
  bars.push({ name: 'End', base: 0, span: amountIn(endOpen, currency), effect: 0 });
  return bars;
}
