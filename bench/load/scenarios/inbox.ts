/**
 * Scenario 9, a large inbox: one user with 100,000 notifications (quick: 5,000) in five common
 * types and one rare type sent to a rare topic (one in 1,000), 40 % of them read and 20 %
 * archived, lists filtered pages and asks for counts. The project only (the floor and the peer
 * have no filters). The notifications are stored first by single-user POSTs, 64 in flight;
 * then each query runs REPETITIONS times, one at a time, and the rows give p50 / p99 of the
 * HTTP round trip.
 */
import { HttpSender } from '../http-sender';
import { LatencyRecorder } from '../latency';
import { count, Metric, Scenario, ScenarioContext, Sizes } from '../scenario';

const USER_ID = 'inbox-heavy';
const REPETITIONS = 50;
/** One in this many is of the rare type and the rare topic; the rest common. */
const RARE_EVERY = 1000;

/** The queries timed, by label. */
const QUERIES: Array<[string, string]> = [
  ['first page, no filter', '/notifications?limit=20'],
  ['unread page', '/notifications?unread=true&limit=20'],
  ['common type prefix page', '/notifications?type=bench.*&limit=20'],
  ['rare type page', '/notifications?type=rare.kind&limit=20'],
  ['rare topic page', '/notifications?topic=rare-topic&limit=20'],
  ['archived page', '/notifications?archived=true&limit=20'],
  // Filters whose rows the user has none of in that state: a walk that skips rows finds nothing.
  ['unread page of a type read in full', '/notifications?type=bench.kind0&unread=true&limit=20'],
  ['archived page of the rare type', '/notifications?archived=true&type=rare.kind&limit=20'],
  // A type and a topic that never meet: a walk of either one alone reads all of its rows.
  ['common type on the rare topic', '/notifications?type=bench.kind1&topic=rare-topic&limit=20'],
  ['counts', '/notifications/counts'],
];

function labels(sizes: Sizes) {
  const prefix = `inbox of ${count(sizes.inboxSize)}`;
  return Object.fromEntries(
    QUERIES.flatMap(([name]) => [
      [`${name} p50`, `${prefix}: ${name} p50 (ms)`],
      [`${name} p99`, `${prefix}: ${name} p99 (ms)`],
    ]),
  );
}

export const inboxScenario: Scenario = {
  name: 'inbox',
  needsTarget: true,
  labels: (sizes) => Object.values(labels(sizes)),

  async run({ target, tokens, sizes, log }: ScenarioContext): Promise<Metric[]> {
    const label = labels(sizes);
    if (!target.name.startsWith('project')) return Object.values(label).map((row) => ({ label: row, value: 'n/a (no filters)' }));
    const sender = new HttpSender(target.port, tokens.forSender(), 64);
    const reader = new HttpSender(target.port, tokens.forUser(USER_ID), 1);
    try {
      const startedAt = performance.now();
      const sends: Promise<void>[] = [];
      for (let index = 0; index < sizes.inboxSize; index++) {
        const rare = index % RARE_EVERY === 0;
        const body = { userIds: [USER_ID], type: rare ? 'rare.kind' : `bench.kind${index % 5}`, title: `n${index}` };
        // A send to users carries no topic; the rare ones go to a topic the user follows.
        const json = rare ? JSON.stringify({ topic: 'rare-topic', type: body.type, title: body.title }) : JSON.stringify(body);
        if (index === 0) {
          const subscribed = await sender.put(`/topics/rare-topic/subscribers/${USER_ID}`);
          if (subscribed.status >= 300) throw new Error(`subscribe: HTTP ${subscribed.status}`);
        }
        sends.push(
          sender.post('/notifications', json).then((response) => {
            if (response.status !== 201) throw new Error(`POST /notifications: HTTP ${response.status} ${response.body}`);
          }),
        );
        if (sends.length >= 512) await Promise.all(sends.splice(0));
      }
      await Promise.all(sends);
      // 40 % read and 20 % archived: the unread and archived filters have rows to skip.
      const readAll = await reader.post('/notifications/read-all', '{"type":"bench.kind0"}');
      if (readAll.status !== 200) throw new Error(`read-all: HTTP ${readAll.status} ${readAll.body}`);
      await reader.post('/notifications/read-all', '{"type":"bench.kind1"}');
      await reader.post('/notifications/archive-all', '{"type":"bench.kind4"}');
      log(`stored ${sizes.inboxSize} notifications in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);

      const metrics: Metric[] = [];
      for (const [name, path] of QUERIES) {
        const latency = new LatencyRecorder();
        for (let run = 0; run < REPETITIONS; run++) {
          const at = performance.now();
          const response = await reader.get(path);
          if (response.status !== 200) throw new Error(`GET ${path}: HTTP ${response.status} ${response.body}`);
          latency.recordMs(performance.now() - at);
        }
        metrics.push(
          { label: label[`${name} p50`], value: latency.percentileMs(50), decimals: 2 },
          { label: label[`${name} p99`], value: latency.percentileMs(99), decimals: 2 },
        );
      }
      return metrics;
    } finally {
      sender.close();
      reader.close();
    }
  },
};
