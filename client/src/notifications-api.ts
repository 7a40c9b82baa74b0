import type {
  ActionTaken,
  BulkFilter,
  InboxCounts,
  InboxPage,
  ListOptions,
  PollOptions,
  PollPage,
  ScheduledNotification,
  ScheduledPage,
} from './api-types';
import { ClientErrorCode, NotificationClientError } from './client-error';
import { resolveToken, type TokenProvider } from './token-provider';

/** The `fetch` the API calls (the global one by default). */
export type FetchLike = (
  input: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<{
  status: number;
  text(): Promise<string>;
}>;

/** Options of {@link NotificationsApi}. */
export interface NotificationsApiOptions {
  /** Server base: `http(s)://host:port[/prefix]`, or a path relative to the page in a browser. */
  url: string;
  /** A JWT, or a function (sync or async) returning a fresh one, called before each request. */
  token: TokenProvider;
  /** Default `globalThis.fetch` (browsers, Node 18+). */
  fetch?: FetchLike;
}

/** A refusal of the server: its status and the message it gave (`{statusCode, message, error}`). */
export class NotificationsApiError extends NotificationClientError {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(ClientErrorCode.Http, `HTTP ${status}: ${messageOf(body)}`);
  }
}

/**
 * The REST routes: the inbox (pages with filters, counts, states, actions), polling (for a
 * client that can hold neither a WebSocket nor an event stream) and a sender's held sends. Each
 * method is one request; a refusal rejects with a NotificationsApiError (404 for an id not yours).
 */
export class NotificationsApi {
  private readonly fetch: FetchLike;

  constructor(private readonly options: NotificationsApiOptions) {
    const fetch = options.fetch ?? (globalThis as { fetch?: FetchLike }).fetch;
    if (!fetch) throw new NotificationClientError(ClientErrorCode.Unexpected, 'no global fetch: pass one as the `fetch` option');
    // Bound: a browser's fetch called as a method of another object throws "Illegal invocation".
    this.fetch = options.fetch ?? fetch.bind(globalThis);
  }

  /** A page of the caller's inbox, newest first, filtered (the filters compose). */
  list(options: ListOptions = {}): Promise<InboxPage> {
    const since = options.since instanceof Date ? options.since.toISOString() : options.since;
    return this.request('GET', `/notifications${query({ ...options, since })}`);
  }

  /** Unread and unseen counts, and the unread by type and by topic. */
  counts(): Promise<InboxCounts> {
    return this.request('GET', '/notifications/counts');
  }

  /** Marks these (all yours, else a 404 and nothing marked), or every one ('all'), seen; resolves with how many were newly seen. */
  async markSeen(ids: readonly string[] | 'all'): Promise<number> {
    const body = ids === 'all' ? { all: true } : { ids };
    return (await this.request<{ count: number }>('POST', '/notifications/seen', body)).count;
  }

  /** Marks one read. */
  async markRead(id: string): Promise<void> {
    await this.request('POST', `/notifications/${encodeURIComponent(id)}/read`);
  }

  /** Counts one unread again (it stays seen). */
  async markUnread(id: string): Promise<void> {
    await this.request('POST', `/notifications/${encodeURIComponent(id)}/unread`);
  }

  /** Marks every unread one (or those of a type or topic) read; resolves with how many. */
  async readAll(filter: BulkFilter = {}): Promise<number> {
    return (await this.request<{ count: number }>('POST', '/notifications/read-all', filter)).count;
  }

  /** Archives one: gone from pages (but `archived: true`), counts and replay. */
  async archive(id: string): Promise<void> {
    await this.request('POST', `/notifications/${encodeURIComponent(id)}/archive`);
  }

  /** Brings an archived one back. */
  async unarchive(id: string): Promise<void> {
    await this.request('POST', `/notifications/${encodeURIComponent(id)}/unarchive`);
  }

  /** Archives every one (or those of a type or topic, or only read or unread ones); resolves with how many. */
  async archiveAll(filter: BulkFilter & { read?: boolean } = {}): Promise<number> {
    return (await this.request<{ count: number }>('POST', '/notifications/archive-all', filter)).count;
  }

  /** What followed `after`, oldest first; with `wait`, held until something does or the wait runs out (`items` empty). */
  poll({ after, wait, limit, unread, signal }: PollOptions): Promise<PollPage> {
    return this.request('GET', `/notifications${query({ after, wait, limit, unread })}`, undefined, signal);
  }

  /**
   * Polls on and on from `after`, each a long poll of `wait` seconds (default 30), handing
   * each notification to `onNotification` in order, until `signal` aborts. Resolves with the
   * cursor to resume from; rejects on the first refusal (a 401: get a fresh token).
   */
  async pollForever(options: {
    after: string;
    wait?: number;
    signal: AbortSignal;
    onNotification: (notification: PollPage['items'][number]) => unknown;
  }): Promise<string> {
    let after = options.after;
    while (!options.signal.aborted) {
      let page: PollPage;
      try {
        page = await this.poll({ after, wait: options.wait ?? 30, signal: options.signal });
      } catch (error) {
        if (options.signal.aborted) break;
        throw error;
      }
      for (const notification of page.items) await options.onNotification(notification);
      after = page.nextCursor;
    }
    return after;
  }

  /**
   * Takes one of a notification's actions for the caller: recorded once and marked read. The
   * same action again answers the same; another one rejects with status 409, an unknown one 404.
   */
  takeAction(id: string, actionId: string): Promise<ActionTaken> {
    return this.request('POST', `/notifications/${encodeURIComponent(id)}/actions/${encodeURIComponent(actionId)}`);
  }

  /** The caller's held sends (token with scope notifications:send), soonest deliverAt first. */
  listScheduled(options: { limit?: number; after?: string } = {}): Promise<ScheduledPage> {
    return this.request('GET', `/notifications/scheduled${query(options)}`);
  }

  /** Moves one of the caller's held sends to `deliverAt` (in the future). */
  reschedule(id: string, deliverAt: string | Date): Promise<ScheduledNotification> {
    const time = typeof deliverAt === 'string' ? deliverAt : deliverAt.toISOString();
    return this.request('PATCH', `/notifications/scheduled/${encodeURIComponent(id)}`, { deliverAt: time });
  }

  /** Cancels one of the caller's held sends: it is never released. A 404 once it was released. */
  async cancelScheduled(id: string): Promise<void> {
    await this.request('DELETE', `/notifications/scheduled/${encodeURIComponent(id)}`);
  }

  /**
   * Snoozes one of the caller's notifications until `until` (in the future, at most 90 days
   * ahead): out of lists, counts and replay until then, when it comes back as new and unread.
   */
  async snooze(id: string, until: string | Date): Promise<void> {
    const time = typeof until === 'string' ? until : until.toISOString();
    await this.request('POST', `/notifications/${encodeURIComponent(id)}/snooze`, { until: time });
  }

  private async request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    const token = await resolveToken(this.options.token);
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.fetch(this.options.url.replace(/\/+$/, '') + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
    });
    const text = await response.text();
    const parsed: unknown = text ? parseJson(text) : undefined;
    if (response.status >= 400) throw new NotificationsApiError(response.status, parsed);
    return parsed as T;
  }
}

function query(parameters: Record<string, string | number | boolean | undefined>): string {
  const pairs = Object.entries(parameters).filter((pair): pair is [string, string | number | boolean] => pair[1] !== undefined);
  return pairs.length === 0 ? '' : `?${pairs.map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`).join('&')}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (a proxy's error page): the error carries the text as it came.
    return text;
  }
}

function messageOf(body: unknown): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  if (Array.isArray(message)) return message.join('; ');
  return typeof message === 'string' ? message : String(body);
}
