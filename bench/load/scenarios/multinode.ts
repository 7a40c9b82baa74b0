/**
 * Scenario 6, multi-node: two nodes sharing delivery through Redis. A placeholder until the
 * targets support REDIS_URL; it prints its row without starting anything.
 */
import { Metric, Scenario } from '../scenario';

const LABEL = 'multi-node: 2 nodes, p2p across nodes';

export const multinodeScenario: Scenario = {
  name: 'multinode',
  needsTarget: false,
  labels: () => [LABEL],
  async run(): Promise<Metric[]> {
    return [{ label: LABEL, value: 'n/a (needs REDIS_URL support)' }];
  },
};
