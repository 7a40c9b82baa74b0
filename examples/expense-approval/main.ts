import { Logger } from '@nestjs/common';
import { ConfigurationException } from '../../server/src/configuration.exception';
import { createExpenseApp, DEVELOPMENT_SECRET, loadExpenseAppSettings } from './create-expense-app';
import { ExpenseAppSettings } from './expense-app.module';

/** `npm run example`: the expense approval app on PORT, JWT_SECRET and DATABASE_URL. */
async function main(): Promise<void> {
  const logger = new Logger('ExpenseApproval');
  const settings = loadExpenseAppSettings(process.env);
  if (settings.jwtSecret === DEVELOPMENT_SECRET) {
    logger.warn(`No JWT_SECRET set: using the example's development secret "${DEVELOPMENT_SECRET}".`);
  }
  const app = await createExpenseApp(settings);
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(settings.port);
  logger.log(`Expense approvals on ${await app.getUrl()} (WebSocket /ws, database ${describeDatabase(settings)})`);
}

/** Where the data lives, without the credentials a PostgreSQL URL may carry. */
function describeDatabase({ database }: ExpenseAppSettings): string {
  if (database.type === 'sqlite') return database.path;
  const { host, pathname } = new URL(database.url);
  return `PostgreSQL ${host}${pathname}`;
}

main().catch((error) => {
  // A bad setting is a message to act on, not a stack trace.
  if (error instanceof ConfigurationException) new Logger('ExpenseApproval').error(error.message);
  else new Logger('ExpenseApproval').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
