import { Logger } from '@nestjs/common';
import { createExpenseApp, DEVELOPMENT_SECRET, loadExpenseAppSettings } from './create-expense-app';

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
  logger.log(`Expense approvals on ${await app.getUrl()} (WebSocket /ws, database ${settings.databasePath})`);
}

main().catch((error) => {
  new Logger('ExpenseApproval').error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
