/**
 * `--tenancy-preferences`: the project runs with TENANT_CLAIM set (every token of the load
 * client carries the claim) and, before the p2p and fan-out sessions open, every one of their
 * users has preferences stored (an in-app rule for a type the bench never sends, so nothing is
 * suppressed). `--tenancy`: the claim alone, no preferences, to tell the two costs apart. The
 * floor and the peer ignore both. Compare its ratios with a run without it.
 */
export const TENANT_CLAIM = 'org';
export const BENCH_TENANT = 'bench-tenant';

export const variant = { tenancy: false, preferences: false };

/** Stores preferences for these users through the admin route, 32 requests at a time. */
export async function storePreferencesFor(port: number, adminToken: string, userIds: readonly string[]): Promise<void> {
  const queue = [...userIds];
  const worker = async () => {
    for (let userId = queue.shift(); userId !== undefined; userId = queue.shift()) {
      const response = await fetch(`http://127.0.0.1:${port}/users/${encodeURIComponent(userId)}/preferences`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ types: { 'bench.never-sent': { inApp: false } } }),
      });
      if (response.status !== 200) throw new Error(`PUT preferences: HTTP ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 32 }, worker));
}
