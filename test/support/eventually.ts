/**
 * Re-checks a condition the server exposes only by being asked (presence, say) until it
 * holds, or fails after the timeout with the last value seen.
 */
export async function eventually<T>(probe: () => Promise<T>, holds: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (holds(value)) return value;
    if (Date.now() > deadline) throw new Error(`Condition still false after ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
