/** The longest wait between two tries, however many came before. */
const MAX_DELAY_MS = 60 * 60 * 1000;

/**
 * How long to wait before try `attempt + 1` after `attempt` failed: `baseMs` doubled per try,
 * half of it fixed and half random ("equal jitter"), so that sends that failed together (a
 * push service down for a minute) do not all come back at the same instant.
 */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(MAX_DELAY_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
