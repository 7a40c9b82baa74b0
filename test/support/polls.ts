import { INestApplication } from '@nestjs/common';
import { SessionRegistry } from '../../src/sessions/session-registry';
import { eventually } from './eventually';
import { HttpResult } from './http';

/** A `GET /notifications?…` in flight (a long poll, say), and a way to leave before its answer. */
export interface PollInFlight {
  answer: Promise<HttpResult>;
  /** Drops the request, as a client that goes away does. */
  abort(): void;
}

/** Starts `GET /notifications?<query>` as the token's user; the answer is awaited separately. */
export function startPoll(baseUrl: string, token: string, query: string, path = '/notifications'): PollInFlight {
  const controller = new AbortController();
  const answer = fetch(`${baseUrl}${path}?${query}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal }).then(
    async (response) => {
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
    },
  );
  return { answer, abort: () => controller.abort() };
}

/** Long polls waiting on this node now. */
export function waitingPolls(app: INestApplication): number {
  return app.get(SessionRegistry).sizeOf('poll');
}

/** Resolves once `count` long polls wait on this node (they register before their first read). */
export function untilWaiting(app: INestApplication, count: number): Promise<number> {
  return eventually(
    async () => waitingPolls(app),
    (waiting) => waiting === count,
  );
}
