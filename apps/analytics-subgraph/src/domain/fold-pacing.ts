// When the background fold may run again. Folding many contributions at once costs far less per contribution than
// folding them in slices (the same rollup rows are updated once, not once per slice: one fold of 16,000 opportunities'
// changes took 9.3–12.8 s, eight folds of 2,000 took 15.4–25.3 s on the same rows). So after a fold that took d ms the
// next waits `restFactor` × d: a backlog's folds grow until they take at most 1 / (1 + restFactor) of the time, while the
// few contributions of live traffic fold within milliseconds and so at every tick.
export interface FoldPacing {
  restFactor: number;
  // Queries expand the contributions not folded yet: they are never left waiting longer than this.
  maxRestMs: number;
}

export const DEFAULT_FOLD_PACING: FoldPacing = { restFactor: 3, maxRestMs: 20_000 };

export function nextFoldAt(lastFold: { startedAt: number; endedAt: number }, pacing: FoldPacing = DEFAULT_FOLD_PACING): number {
  const took = Math.max(0, lastFold.endedAt - lastFold.startedAt);
  return lastFold.endedAt + Math.min(pacing.maxRestMs, pacing.restFactor * took);
}
