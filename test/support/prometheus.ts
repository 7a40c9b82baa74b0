import { request } from './http';

/** Parsed Prometheus text: `name{labels}` → value (labels as printed, e.g. `{result="accepted",reason="ok"}`). */
export type Samples = Map<string, number>;

export function parsePrometheus(text: string): Samples {
  const samples: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

export async function scrape(baseUrl: string, token?: string): Promise<Samples> {
  const response = await request(baseUrl, 'GET', '/metrics', { token });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return parsePrometheus(response.body);
}

/** Scrapes until `predicate` holds (a gauge follows a socket close a moment later), or fails after 5 s. */
export async function scrapeUntil(baseUrl: string, predicate: (samples: Samples) => boolean, what: string): Promise<Samples> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const samples = await scrape(baseUrl);
    if (predicate(samples)) return samples;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for metrics: ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}
