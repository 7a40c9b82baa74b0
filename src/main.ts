import { Logger } from '@nestjs/common';
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
  const url = await app.getUrl();
  const database = settings.database.type === 'sqlite' ? settings.database.path : `PostgreSQL ${new URL(settings.database.url).host}`;
  const delivery = settings.redis ? `Redis ${new URL(settings.redis.url).host} (prefix ${settings.redis.keyPrefix})` : 'in-process';
  logger.log(`Listening on ${url} — WebSocket ${url.replace(/^http/, 'ws')}/ws — database ${database} — delivery ${delivery}`);
}

main().catch((error) => {
  new Logger('NotificationServer').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
