/**
 * Scenario 7, Web Push to offline users: N users, each with one push subscription and no open
 * session, get one notification in one send; the server's outbox pushes each of them (VAPID
 * signed, `aes128gcm` encrypted by web-push) to a local HTTPS push service run by this process.
 * Timed from the POST to the last push received; CPU is the server's over that window. The
 * project only: the floor and the peer have no channels. The server runs as in the other
 * scenarios (NODE_ENV=production, so endpoints must be https), with VAPID keys, PUSH_AFTER_SECONDS=0
 * (push at once when nobody is connected), CHANNEL_POLL_MS=100, and the sink's self-signed
 * certificate trusted through NODE_EXTRA_CA_CERTS.
 */
import { createECDH, randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:https';
import { AddressInfo } from 'node:net';
import { generateVAPIDKeys } from 'web-push';
import { CpuWindow } from '../proc';
import { count, Metric, Scenario, ScenarioContext, Sizes, waitUntil } from '../scenario';
import { RunningTarget, TargetDefinition } from '../targets';
import { selfSignedCertificate } from '../../../scripts/self-signed-certificate';

const PUSH_TIMEOUT_MS = 120_000;
const CHANNEL_POLL_MS = 100;

function labels(sizes: Sizes) {
  const prefix = `push ${count(sizes.pushUsers)} offline users`;
  return {
    time: `${prefix}: POST → all pushed (ms)`,
    rate: `${prefix}: pushes per second`,
    cpu: `${prefix}: server CPU per push (µs)`,
    received: `${prefix}: pushed / duplicates / rejected`,
  };
}

/** The push service's side: counts each subscription's messages, and refuses what is not Web Push. */
class PushSink {
  readonly received = new Map<string, number>();
  rejected = 0;
  lastAt = 0;
  private readonly server: Server;
  origin = '';

  private constructor(tls: { key: string; cert: string }) {
    this.server = createServer(tls, (request, response) => {
      request.resume();
      request.on('end', () => {
        // What every Web Push request carries (RFC 8291, RFC 8292); anything else is refused.
        const valid =
          request.headers['content-encoding'] === 'aes128gcm' && /^vapid t=.+, k=.+$/.test(String(request.headers.authorization ?? ''));
        if (!valid) this.rejected++;
        else {
          const id = (request.url ?? '').split('/').pop()!;
          this.received.set(id, (this.received.get(id) ?? 0) + 1);
          this.lastAt = performance.now();
        }
        response.writeHead(valid ? 201 : 400).end();
      });
    });
  }

  static async start(tls: { key: string; cert: string }): Promise<PushSink> {
    const sink = new PushSink(tls);
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    sink.origin = `https://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
    return sink;
  }

  get duplicates(): number {
    let extra = 0;
    for (const times of this.received.values()) extra += times - 1;
    return extra;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The same server, with Web Push configured and the sink's certificate trusted. */
function withPush(base: TargetDefinition, certFile: string): TargetDefinition {
  const vapid = generateVAPIDKeys();
  return {
    ...base,
    launch: (buildDir, port, database) => {
      const launched = base.launch(buildDir, port, database);
      const push = {
        WEB_PUSH_VAPID_PUBLIC_KEY: vapid.publicKey,
        WEB_PUSH_VAPID_PRIVATE_KEY: vapid.privateKey,
        WEB_PUSH_SUBJECT: 'mailto:bench@example.test',
        PUSH_AFTER_SECONDS: '0',
        CHANNEL_POLL_MS: String(CHANNEL_POLL_MS),
        NODE_EXTRA_CA_CERTS: certFile,
      };
      return { ...launched, env: { ...launched.env, ...push } };
    },
  };
}

/** Registers one browser subscription per user, with the user's own token, as the inbox page does. */
async function subscribeAll(context: ScenarioContext, port: number, sinkOrigin: string, userIds: string[]): Promise<void> {
  // Every "browser" shares one key pair: the server encrypts for each subscription all the same.
  const browser = createECDH('prime256v1');
  browser.generateKeys();
  const keys = { p256dh: browser.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
  const queue = [...userIds];
  const worker = async () => {
    for (let userId = queue.shift(); userId !== undefined; userId = queue.shift()) {
      const response = await fetch(`http://127.0.0.1:${port}/push/subscriptions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${context.tokens.forUser(userId)}`, 'content-type': 'application/json' },
        body: JSON.stringify({ endpoint: `${sinkOrigin}/push/${userId}`, expirationTime: null, keys }),
      });
      if (response.status !== 201) throw new Error(`POST /push/subscriptions: HTTP ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
}

export const pushScenario: Scenario = {
  name: 'push',
  needsTarget: true,
  labels: (sizes) => Object.values(labels(sizes)),

  async run(context: ScenarioContext): Promise<Metric[]> {
    const label = labels(context.sizes);
    const { target, sizes } = context;
    if (!target.name.startsWith('project')) return Object.values(label).map((row) => ({ label: row, value: 'n/a (no channels)' }));
    const tls = selfSignedCertificate(target.workDir);
    const sink = await PushSink.start(tls);
    // The runner's own server stays idle; this one, configured for push, is measured.
    const server = await RunningTarget.start(withPush(target.definition, tls.certFile), target.buildDir, target.workDir);
    try {
      const userIds = Array.from({ length: sizes.pushUsers }, (_, index) => `push-${index}`);
      await subscribeAll(context, server.port, sink.origin, userIds);
      const cpu = new CpuWindow(server.pid);
      const postedAt = performance.now();
      const response = await fetch(`http://127.0.0.1:${server.port}/notifications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${context.tokens.forSender()}`, 'content-type': 'application/json' },
        body: JSON.stringify({ userIds, type: 'bench.push', title: 'push', body: 'to every offline user' }),
      });
      if (response.status !== 201) throw new Error(`POST /notifications: HTTP ${response.status} ${await response.text()}`);
      await waitUntil(() => sink.received.size === userIds.length, PUSH_TIMEOUT_MS);
      const elapsedMs = sink.lastAt - postedAt;
      const cpuMs = cpu.usedMs();
      const pushed = sink.received.size;
      return [
        { label: label.time, value: pushed ? elapsedMs : Number.NaN, decimals: 0 },
        { label: label.rate, value: pushed ? (pushed * 1000) / elapsedMs : Number.NaN, decimals: 0 },
        { label: label.cpu, value: pushed ? (cpuMs * 1000) / pushed : Number.NaN, decimals: 0 },
        { label: label.received, value: `${pushed} / ${sink.duplicates} / ${sink.rejected}` },
      ];
    } finally {
      await server.stop();
      await sink.close();
    }
  },
};
