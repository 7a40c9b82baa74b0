import { ConsoleLogger, INestApplication, Logger } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { ConfigurationException } from './configuration.exception';
import { loadServerSettings } from './server-settings';

/**
 * Whatever still hangs this long after SIGTERM, the process exits anyway (1): sessions get
 * 1 s to close and requests in flight 10 s (InFlightRequests), then the database closes.
 */
const SHUTDOWN_DEADLINE_MS = 12_000;

/** The standalone notification server: `npm start`. Settings come from the environment. */
async function main(): Promise<void> {
  keepRunningWithoutStdout();
  // Until pino takes over (once the app is built), a production server still writes JSON lines.
  if (process.env.NODE_ENV === 'production') Logger.overrideLogger(new ConsoleLogger({ json: true }));
  const logger = new Logger('NotificationServer');
  let settings;
  try {
    settings = loadServerSettings(process.env);
  } catch (error) {
    if (!(error instanceof ConfigurationException)) throw error;
    logger.error(error.message);
    process.exit(1);
  }
  if (settings.jwt.isDevelopmentKey) {
    logger.warn(
      '!!! No JWT_SECRET, JWT_PUBLIC_KEY or JWT_JWKS_URL set: using the built-in DEVELOPMENT secret. Anyone can mint tokens ' +
        'for this server. Set JWT_SECRET (or JWT_PUBLIC_KEY / JWT_JWKS_URL) before exposing it; NODE_ENV=production refuses to start without one.',
    );
  }
  if (settings.production && settings.operations.metricsEnabled && !settings.operations.metricsToken) {
    logger.warn('METRICS_ENABLED=true without METRICS_TOKEN: /metrics is open to anyone who can reach this port.');
  }
  // Loaded only now, so that a bad setting is reported without first loading the whole server.
  const { createServer } = await import('./create-server');
  const app = await createServer(settings);
  await listenOnEveryAddress(app, settings.port);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => void shutDown(app, signal, logger));
  const { port } = app.getHttpServer().address() as AddressInfo;
  const database = settings.database.type === 'sqlite' ? settings.database.path : `PostgreSQL ${new URL(settings.database.url).host}`;
  const delivery = settings.redis ? `Redis ${new URL(settings.redis.url).host} (prefix ${settings.redis.keyPrefix})` : 'in-process';
  logger.log(`Listening on http://localhost:${port} — WebSocket ws://localhost:${port}/ws — database ${database} — delivery ${delivery}`);
}

/**
 * Listens on every IPv6 and IPv4 address, as Node does for a bare port (Fastify alone would
 * listen on localhost only); on a host without IPv6, on every IPv4 address.
 */
async function listenOnEveryAddress(app: INestApplication, port: number): Promise<void> {
  try {
    await app.listen(port, '::');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAFNOSUPPORT' && (error as NodeJS.ErrnoException).code !== 'EADDRNOTAVAIL') throw error;
    await app.listen(port, '0.0.0.0');
  }
}

/**
 * Stops accepting connections, closes every session with 1001 (clients reconnect elsewhere
 * and resume from their cursor), lets requests in flight finish, closes the database, exits.
 */
async function shutDown(app: INestApplication, signal: string, logger: Logger): Promise<void> {
  logger.log(`${signal}: shutting down`);
  process.once(signal, () => process.exit(1)); // a second signal does not wait
  // Referenced on purpose: while shutdown awaits, the event loop must not run empty and let
  // the process end before the database is closed.
  setTimeout(() => {
    logger.error(`Shutdown took more than ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting`);
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS);
  app.getHttpServer().close();
  try {
    await app.close();
  } catch (error) {
    logger.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  logger.log('Shut down');
  process.exit(0);
}

/**
 * Logs go to stdout through pino, which drops lines once stdout's reader is gone (EPIPE).
 * Anything else writing there (Nest's console logger before pino takes over) would make
 * the same error an uncaught one and crash the server, which has nobody to tell anyway.
 */
function keepRunningWithoutStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

main().catch((error) => {
  new Logger('NotificationServer').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
