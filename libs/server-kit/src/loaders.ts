import DataLoader from 'dataloader';

// Bounds one statement's key list however many entities a single request references.
const MAX_BATCH_SIZE = 500;

// Per-request batching: one query for all keys requested in one tick; results follow the key order.
export function keyedLoader<K, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (value: V) => K): DataLoader<K, V | null> {
  return new DataLoader<K, V | null>(
    async (keys) => {
      const found = new Map<K, V>();
      for (const value of await fetch(keys)) found.set(keyOf(value), value);
      return keys.map((key) => found.get(key) ?? null);
    },
    { maxBatchSize: MAX_BATCH_SIZE },
  );
}

export function groupedLoader<K, V>(fetch: (keys: readonly K[]) => Promise<V[]>, keyOf: (value: V) => K): DataLoader<K, V[]> {
  return new DataLoader<K, V[]>(
    async (keys) => {
      const groups = new Map<K, V[]>();
      for (const value of await fetch(keys)) {
        const key = keyOf(value);
        const group = groups.get(key);
        if (group) group.push(value);
        else groups.set(key, [value]);
      }
      return keys.map((key) => groups.get(key) ?? []);
    },
    { maxBatchSize: MAX_BATCH_SIZE },
  );
}

export { default as DataLoader } from 'dataloader';
