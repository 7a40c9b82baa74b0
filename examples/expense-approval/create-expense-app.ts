import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
// Settings are read as the standalone server reads them, so DATABASE_URL means the same in
// both. (The module itself comes from the public entry only: see expense-app.module.ts.)
import { parseDatabaseUrl } from '../../server/src/server-settings';
import { ExpenseAppModule, ExpenseAppSettings } from './expense-app.module';

export const DEVELOPMENT_SECRET = 'expense-approval-development-secret';

/** Reads PORT, JWT_SECRET and DATABASE_URL (`sqlite:<path>`, `sqlite::memory:` or `postgres://…`). */
export function loadExpenseAppSettings(env: Record<string, string | undefined>): ExpenseAppSettings {
  const port = Number(env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0 to 65535, got "${env.PORT}"`);
  return {
    port,
    jwtSecret: env.JWT_SECRET || DEVELOPMENT_SECRET,
    database: parseDatabaseUrl(env.DATABASE_URL || 'sqlite:./data/expense-approval.sqlite'),
  };
}

/** Builds the example app (not yet listening), with the WebSocket adapter the module needs. */
export async function createExpenseApp(settings: ExpenseAppSettings, logger?: LoggerService | false) {
  const app = await NestFactory.create<NestExpressApplication>(ExpenseAppModule.register(settings), {
    logger: logger ?? undefined,
  });
  app.useWebSocketAdapter(new WsAdapter(app));
  return app;
}
