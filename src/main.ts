import { Logger } from '@nestjs/common';
import { AddressInfo } from 'node:net';
import { ConfigurationException } from './server/configuration.exception';
import { createServer } from './server/create-server';
import { loadServerSettings } from './server/server-settings';

/** The standalone notification server: `npm start`. Settings come from the environment. */
async function main(): Promise<void> {
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
      '!!! No JWT_SECRET or JWT_PUBLIC_KEY set: using the built-in DEVELOPMENT secret. Anyone can mint tokens ' +
        'for this server. Set JWT_SECRET (or JWT_PUBLIC_KEY) before exposing it; NODE_ENV=production refuses to start without one.',
    );
  }
  const app = await createServer(settings);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(settings.port);
  const { port } = app.getHttpServer().address() as AddressInfo;
  logger.log(`Listening on http://localhost:${port} — WebSocket ws://localhost:${port}/ws — database ${settings.database.path}`);
}

main().catch((error) => {
  new Logger('NotificationServer').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
