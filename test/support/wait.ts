/**
 * Polls `condition` until it holds or times out. Only for states that time alone changes
 * (expiry); anything a frame or a response announces is awaited on that frame instead.
 */
export async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
