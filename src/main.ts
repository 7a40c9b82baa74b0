import { ConsoleLogger, Logger } from '@nestjs/common';
import { ConfigurationException } from './server/configuration.exception';
import { loadServerSettings } from './server/server-settings';

/** The standalone notification server: `npm start`. Settings come from the environment. */
async function main(): Promise<void> {
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
      '!!! No JWT_SECRET or JWT_PUBLIC_KEY set: using the built-in DEVELOPMENT secret. Anyone can mint tokens ' +
        'for this server. Set JWT_SECRET (or JWT_PUBLIC_KEY) before exposing it; NODE_ENV=production refuses to start without one.',
    );
  }
  // Loaded only now, so that a bad setting is reported without first loading the whole server.
  const { createServer } = await import('./server/create-server');
  const app = await createServer(settings);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(settings.port);
  const url = await app.getUrl();
  logger.log(`Listening on ${url} — WebSocket ${url.replace(/^http/, 'ws')}/ws — database ${settings.database.path}`);
}

main().catch((error) => {
  new Logger('NotificationServer').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
