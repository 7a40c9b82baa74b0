/** Small helpers over fetch for the REST routes. */
export interface HttpResult {
  status: number;
  body: any;
  headers: Headers;
}

export async function request(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<HttpResult> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.rawBody;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const response = await fetch(baseUrl + path, { method, headers, body });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text, the test asserts on it.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

/** POST /notifications as a sender; returns the response. */
export function send(baseUrl: string, token: string, body: Record<string, unknown>, headers?: Record<string, string>) {
  return request(baseUrl, 'POST', '/notifications', { token, body: { type: 'test.event', title: 'Hello', ...body }, headers });
}

/** How many of the user's notifications are not yet acknowledged, read over REST page by page. */
export async function undeliveredCount(baseUrl: string, token: string): Promise<number> {
  let count = 0;
  let before: string | undefined;
  do {
    const path = `/notifications?limit=100${before ? `&before=${before}` : ''}`;
    const { body } = await request(baseUrl, 'GET', path, { token });
    count += (body.items as Array<{ deliveredAt: string | null }>).filter((item) => item.deliveredAt === null).length;
    before = body.nextCursor ?? undefined;
  } while (before);
  return count;
}
