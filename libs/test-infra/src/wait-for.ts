import { waitUntil } from '@pipeline/dev-infra';

// Waits on a condition with a deadline: tests synchronise on state, never on a fixed sleep.
export function waitFor<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  options: { timeoutMs?: number; intervalMs?: number; what?: string } = {},
): Promise<T> {
  const { timeoutMs = 10_000, intervalMs = 50, what = 'condition' } = options;
  return waitUntil(async () => probe(), timeoutMs, what, intervalMs);
}
