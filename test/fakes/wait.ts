/** Polls until `pred` holds; the timeout only bounds a failing test, nothing asserts on time. */
export async function waitFor<T>(
  what: string,
  pred: () => T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
