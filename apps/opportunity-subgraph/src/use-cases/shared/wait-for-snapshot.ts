// Another service's latest state arrives by event, usually within milliseconds of its commit. A use case that
// depends on it (converting a just-qualified lead) waits a bounded time for it instead of failing on a race.
export async function waitForSnapshot<T>(probe: () => Promise<T>, ready: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!ready(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await probe();
  }
  return value;
}
