import fc from 'fast-check';
import { request, send } from './support/http';
import { startServer, TestServer } from './support/test-server';
import { senderToken, tokenFor } from './support/tokens';

/** An action as the test's own oracle sees it: what the contract allows, written out apart from the code. */
function isValidAction(action: Record<string, unknown>): boolean {
  const known = Object.keys(action).every((key) => ['id', 'label', 'url', 'style'].includes(key));
  const id = typeof action.id === 'string' && /^[a-z0-9_-]{1,40}$/.test(action.id);
  const label = typeof action.label === 'string' && action.label.length >= 1 && action.label.length <= 60;
  const url = action.url == null || (typeof action.url === 'string' && /^https?:\/\/[^\s/]/i.test(action.url));
  const style = action.style === undefined || ['primary', 'secondary', 'danger'].includes(action.style as string);
  return known && id && label && url && style;
}

/** Sends with random actions and groupKeys: 201 exactly when they are valid, else a 400 naming the field that stores nothing. */
describe('Property: actions and groupKey on a send', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { SEND_RATE_LIMIT_PER_MINUTE: '100000' } });
  });
  afterAll(() => server.close());

  it('accepts exactly the valid ones, stores them as sent, and never answers 5xx', async () => {
    // Mostly valid fields, so that one bad field at a time is common: each must decide the answer alone.
    const mostly = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
      fc.oneof({ arbitrary: valid, weight: 3 }, { arbitrary: invalid, weight: 1 });
    const action = fc
      .tuple(
        fc.record(
          {
            id: mostly(fc.stringMatching(/^[a-z0-9_-]{1,40}$/), fc.constantFrom('Approve', '', 'x'.repeat(41), 'a b', 7, null)),
            label: mostly(fc.string({ minLength: 1, maxLength: 60 }), fc.constantFrom('', 'x'.repeat(61), 3, null)),
            url: mostly(
              fc.constantFrom('https://example.com/a?b=1', 'http://localhost:3000/x', null),
              fc.constantFrom('javascript:alert(1)', 'ftp://x', 'https://', 'not a url', 5),
            ),
            style: mostly(fc.constantFrom('primary', 'secondary', 'danger'), fc.constantFrom('loud', 'Primary', 0)),
          },
          { requiredKeys: ['id', 'label'] },
        ),
        fc.oneof(
          { arbitrary: fc.constant(null), weight: 8 },
          { arbitrary: fc.tuple(fc.constantFrom('constructor', 'extra', '__proto__', 'Id'), fc.jsonValue()), weight: 1 },
        ),
      )
      .map(([fields, extra]) =>
        extra ? { ...fields, ...JSON.parse(`{${JSON.stringify(extra[0])}:${JSON.stringify(extra[1])}}`) } : fields,
      );
    const actions = fc.oneof({ arbitrary: fc.array(action, { maxLength: 4 }), weight: 8 }, { arbitrary: fc.anything(), weight: 1 });
    const groupKey = fc.oneof(fc.string({ minLength: 1, maxLength: 100 }), fc.constantFrom('', 'k'.repeat(101), 42, ['k'], null));
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.option(actions, { nil: undefined }),
        fc.option(groupKey, { nil: undefined }),
        async (arbitraryActions, arbitraryKey) => {
          // A user of its own per run: a refused send must leave their inbox empty, whatever runs before.
          const user = `prop-actions-${run++}`;
          // As the server reads it: what JSON keeps of the values (undefined members dropped).
          const body = JSON.parse(JSON.stringify({ userIds: [user], actions: arbitraryActions, groupKey: arbitraryKey }));
          const [sentActions, sentKey] = [body.actions as unknown, body.groupKey as unknown];
          const actionsValid =
            sentActions == null ||
            (Array.isArray(sentActions) &&
              sentActions.length <= 3 &&
              sentActions.every((each) => typeof each === 'object' && each !== null && isValidAction(each)) &&
              new Set(sentActions.map((each) => (each as { id: unknown }).id)).size === sentActions.length);
          const keyValid = sentKey == null || (typeof sentKey === 'string' && sentKey.length >= 1 && sentKey.length <= 100);
          const response = await send(server.baseUrl, senderToken(), body);
          expect({ status: response.status, actionsValid, keyValid }).toEqual({
            status: actionsValid && keyValid ? 201 : 400,
            actionsValid,
            keyValid,
          });
          if (response.status === 400) {
            // A `__proto__` member is refused as the body is parsed, before any field is looked at.
            const named = /"__proto__":/.test(JSON.stringify(body)) ? /prototype/ : actionsValid ? /groupKey/ : /actions/;
            expect(JSON.stringify(response.body.message)).toMatch(named);
          } else {
            const listed = await request(server.baseUrl, 'GET', '/notifications?limit=1', { token: tokenFor(user) });
            const [item] = listed.body.items;
            expect(item.id).toBe(response.body.id);
            const expected = ((sentActions as Array<Record<string, unknown>> | null | undefined) ?? []).map((each) => ({
              id: each.id,
              label: each.label,
              url: each.url ?? null,
              style: each.style ?? 'secondary',
            }));
            expect(item.actions).toEqual(expected);
            expect(item.groupKey).toBe(sentKey ?? null);
          }
          // Nothing is stored on a refusal (the export lists archived rows too).
          const all = await request(server.baseUrl, 'GET', `/users/${user}/data`, {
            token: tokenFor('ops', { scope: 'notifications:admin' }),
          });
          expect(all.body.inbox).toHaveLength(response.status === 201 ? 1 : 0);
        },
      ),
      { numRuns: 250 },
    );
  });
});
