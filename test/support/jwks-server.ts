import { generateKeyPairSync, KeyObject } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { sign } from 'jsonwebtoken';

/** A signing key of the fake identity provider. */
export interface ProviderKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function generateProviderKey(kid: string, alg: 'RS256' | 'ES256'): ProviderKey {
  const { privateKey, publicKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid, alg, privateKey, publicKey };
}

/** A token signed by the provider with this key, naming it in `kid`. */
export function providerToken(key: ProviderKey, userId: string, claims: Record<string, unknown> = {}): string {
  return sign({ sub: userId, ...claims }, key.privateKey, { algorithm: key.alg, keyid: key.kid, expiresIn: 3600 });
}

/** A local JWKS endpoint (what Keycloak serves at .../certs); `keys` can be swapped to rotate. */
export class JwksServer {
  keys: ProviderKey[] = [];
  /** How many times the key set was fetched. */
  requests = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      this.requests++;
      const keys = this.keys.map((key) => ({ ...key.publicKey.export({ format: 'jwk' }), kid: key.kid, alg: key.alg, use: 'sig' }));
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/realms/test/protocol/openid-connect/certs`;
    return this;
  }

  async stop(): Promise<void> {
    const closed = new Promise<void>((resolve, reject) => this.server?.close((error) => (error ? reject(error) : resolve())));
    this.server?.closeAllConnections();
    await closed;
  }
}
