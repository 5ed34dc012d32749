import { Dec, type Money, sumByCurrency } from '@pipeline/domain';

// An opportunity as it stood at an instant, rebuilt from its event history.
export interface PastState {
  category: 'OPEN' | 'WON' | 'LOST';
  stagePosition: number | null;
  amount: Money | null;
  expectedCloseDate: string | null;
}

export type WaterfallKind = 'NEW' | 'ADVANCED' | 'SLIPPED' | 'AMOUNT_UP' | 'AMOUNT_DOWN' | 'WON' | 'LOST' | 'REOPENED';
export const WATERFALL_KINDS: readonly WaterfallKind[] = ['NEW', 'ADVANCED', 'SLIPPED', 'AMOUNT_UP', 'AMOUNT_DOWN', 'WON', 'LOST', 'REOPENED'];

export interface WaterfallStep {
  kind: WaterfallKind;
  count: number;
  // NEW, REOPENED, AMOUNT_UP add to the open pipeline, WON, LOST, AMOUNT_DOWN take from it (amounts are positive);
  // ADVANCED and SLIPPED move nothing in or out and carry the amounts they concern.
  amount: Money[];
}

export interface Waterfall {
  startOpen: Money[];
  steps: WaterfallStep[];
  endOpen: Money[];
}

// What changed in the open pipeline between two instants, per opportunity's state at each (null: did not exist yet).
// Start + NEW + REOPENED + AMOUNT_UP - AMOUNT_DOWN - WON - LOST = end, per currency. An opportunity created and closed in
// between counts as NEW and as WON or LOST. ADVANCED: a later stage; SLIPPED: an earlier stage or a later close date.
export function pipelineWaterfall(histories: ReadonlyArray<{ before: PastState | null; after: PastState | null }>): Waterfall {
  const moved = new Map<WaterfallKind, { count: number; amounts: Money[] }>(WATERFALL_KINDS.map((kind) => [kind, { count: 0, amounts: [] }]));
  const add = (kind: WaterfallKind, amount: Money | null) => {
    const entry = moved.get(kind) as { count: number; amounts: Money[] };
    entry.count += 1;
    if (amount) entry.amounts.push(amount);
  };
  const startOpen: Money[] = [];
  const endOpen: Money[] = [];
  for (const { before, after } of histories) {
    if (before?.category === 'OPEN' && before.amount) startOpen.push(before.amount);
    if (after?.category === 'OPEN' && after.amount) endOpen.push(after.amount);
    if (!after) continue;
    if (before?.category !== 'OPEN') {
      // Entered the open pipeline: created, or reopened; created and closed in between counts in and out.
      if (!before) add('NEW', after.amount);
      else if (after.category === 'OPEN') add('REOPENED', after.amount);
      else continue;
      if (after.category !== 'OPEN') add(after.category, after.amount);
      continue;
    }
    // Closed from the open pipeline at its amount at the start (changes before the close are part of the close).
    if (after.category !== 'OPEN') {
      add(after.category, before.amount);
      continue;
    }
    for (const change of amountChanges(before.amount, after.amount)) add(change.kind, change.amount);
    if ((after.stagePosition ?? 0) > (before.stagePosition ?? 0)) add('ADVANCED', after.amount);
    else if ((after.stagePosition ?? 0) < (before.stagePosition ?? 0) || laterDate(before.expectedCloseDate, after.expectedCloseDate))
      add('SLIPPED', after.amount);
  }
  return {
    startOpen: sumByCurrency(startOpen),
    steps: WATERFALL_KINDS.map((kind) => {
      const entry = moved.get(kind) as { count: number; amounts: Money[] };
      return { kind, count: entry.count, amount: sumByCurrency(entry.amounts) };
    }),
    endOpen: sumByCurrency(endOpen),
  };
}

// A change of amount; a change of currency is the old amount going down and the new one up.
function amountChanges(before: Money | null, after: Money | null): Array<{ kind: 'AMOUNT_UP' | 'AMOUNT_DOWN'; amount: Money }> {
  if (before && after && before.currency !== after.currency) return [...amountChanges(before, null), ...amountChanges(null, after)];
  const currency = after?.currency ?? before?.currency;
  if (!currency) return [];
  const from = new Dec(before?.amount ?? 0);
  const to = new Dec(after?.amount ?? 0);
  if (to.greaterThan(from)) return [{ kind: 'AMOUNT_UP', amount: { amount: to.minus(from).toFixed(), currency } }];
  if (to.lessThan(from)) return [{ kind: 'AMOUNT_DOWN', amount: { amount: from.minus(to).toFixed(), currency } }];
  return [];
}

const laterDate = (before: string | null, after: string | null): boolean => before !== null && after !== null && after > before;
