// ON CONFLICT DO UPDATE may touch a row only once per statement: a chunk keeps each key's first highest version, as
// one-by-one version-guarded upserts would, sorted by key so concurrent flushes lock shared rows in one order.
export function newestPerKey<T extends { version: number }>(rows: readonly T[], keyOf: (row: T) => string): T[] {
  const newest = new Map<string, T>();
  for (const row of rows) {
    const key = keyOf(row).toLowerCase();
    const kept = newest.get(key);
    if (!kept || row.version > kept.version) newest.set(key, row);
  }
  return [...newest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, row]) => row);
}
