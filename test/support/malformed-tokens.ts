/** base64url of a string, as a JWT segment. */
const segment = (text: string) => Buffer.from(text, 'utf8').toString('base64url');

/**
 * Tokens that are not JWTs, each one way off: what an unauthenticated caller can send to make
 * a verifier choke. Every one must be refused as an invalid token (401), never a 500.
 * `kid` names a key the verifier knows, so that a JWKS verifier gets past its key lookup.
 */
export function malformedTokens(kid: string): Array<[string, string]> {
  const header = (fields: Record<string, unknown>) => segment(JSON.stringify({ alg: 'RS256', kid, ...fields }));
  const signature = segment('not-a-signature');
  return [
    // jsonwebtoken's decode runs JSON.parse on the payload when the header says typ JWT.
    ['a payload that is not JSON (typ JWT)', `${header({ typ: 'JWT' })}.${segment('not json')}.${signature}`],
    ['a payload that is not JSON', `${header({})}.${segment('{"sub":')}.${signature}`],
    ['a null payload', `${header({ typ: 'JWT' })}.${segment('null')}.${signature}`],
    ['an array payload', `${header({ typ: 'JWT' })}.${segment('[1,2]')}.${signature}`],
    ['a number payload', `${header({ typ: 'JWT' })}.${segment('42')}.${signature}`],
    ['a header that is not JSON', `${segment('{"alg":')}.${segment('{}')}.${signature}`],
    ['a null header', `${segment('null')}.${segment('{}')}.${signature}`],
    ['a kid that is not a string', `${segment(JSON.stringify({ alg: 'RS256', kid: 7 }))}.${segment('{}')}.${signature}`],
    ['two segments', `${header({ typ: 'JWT' })}.${segment('{}')}`],
    ['characters outside base64url', `${header({ typ: 'JWT' })}.e30*.${signature}`],
    ['one dot', '.'],
  ];
}
