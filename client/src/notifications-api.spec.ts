import { NotificationsApi, NotificationsApiError, type FetchLike } from './notifications-api';

describe(NotificationsApi.name, () => {
  /** A fetch that records each request and answers with `status` and `body`. */
  const fakeFetch = (status: number, body: string) => {
    const calls: Array<{ url: string; method: string; headers: Record<string, string>; body?: string }> = [];
    const fetch: FetchLike = async (url, init) => {
      calls.push({ url, method: init.method, headers: init.headers, body: init.body });
      return { status, text: async () => body };
    };
    return { fetch, calls };
  };

  it('builds each route under the base path, with a fresh token per request', async () => {
    const { fetch, calls } = fakeFetch(200, '{"items":[],"nextCursor":"5"}');
    let issued = 0;
    const api = new NotificationsApi({ url: 'https://notify.example.com/api/', token: () => `jwt-${++issued}`, fetch });
    await api.poll({ after: '5', wait: 30, unread: true });
    await api.listScheduled({ after: '1767258000000.0193d2d1-0000-7000-8000-000000000000' });
    await api.reschedule('n 1', new Date(Date.UTC(2031, 0, 1)));
    await api.cancelScheduled('n1');
    expect(calls.map(({ method, url }) => `${method} ${url}`)).toEqual([
      'GET https://notify.example.com/api/notifications?after=5&wait=30&unread=true',
      'GET https://notify.example.com/api/notifications/scheduled?after=1767258000000.0193d2d1-0000-7000-8000-000000000000',
      'PATCH https://notify.example.com/api/notifications/scheduled/n%201',
      'DELETE https://notify.example.com/api/notifications/scheduled/n1',
    ]);
    expect(calls.map(({ headers }) => headers.authorization)).toEqual(['Bearer jwt-1', 'Bearer jwt-2', 'Bearer jwt-3', 'Bearer jwt-4']);
    expect(calls[2]).toMatchObject({ body: '{"deliverAt":"2031-01-01T00:00:00.000Z"}', headers: { 'content-type': 'application/json' } });
  });

  it("rejects with the server's status and message, or its text when the answer is not JSON", async () => {
    const refused = new NotificationsApi({ url: '/', token: 't', fetch: fakeFetch(400, '{"statusCode":400,"message":["a","b"]}').fetch });
    await expect(refused.listScheduled()).rejects.toMatchObject({ status: 400, message: 'HTTP 400: a; b' });
    const proxied = new NotificationsApi({ url: '/', token: 't', fetch: fakeFetch(502, '<html>Bad gateway</html>').fetch });
    const error = await proxied.cancelScheduled('n1').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NotificationsApiError);
    expect(error).toMatchObject({ status: 502, body: '<html>Bad gateway</html>' });
  });

  it("calls the global fetch as a function, as a browser's fetch demands", async () => {
    const original = globalThis.fetch;
    // A browser's fetch throws "Illegal invocation" when called as a method of another object.
    globalThis.fetch = async function (this: unknown) {
      if (this !== undefined && this !== globalThis) throw new TypeError('Illegal invocation');
      return new Response('{"unread":0,"unseen":0,"byType":{},"byTopic":{}}');
    } as typeof fetch;
    try {
      await expect(new NotificationsApi({ url: '/', token: 't' }).counts()).resolves.toMatchObject({ unread: 0 });
    } finally {
      globalThis.fetch = original;
    }
  });
});
