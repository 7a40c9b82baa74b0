import { LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { WsAdapter } from '@nestjs/platform-ws';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ExpenseAppModule, ExpenseAppSettings } from './expense-app.module';

export const DEVELOPMENT_SECRET = 'expense-approval-development-secret';

/** Reads PORT, JWT_SECRET and DATABASE_URL (`sqlite:<path>` or `sqlite::memory:`). */
export function loadExpenseAppSettings(env: Record<string, string | undefined>): ExpenseAppSettings {
  const url = env.DATABASE_URL || 'sqlite:./data/expense-approval.sqlite';
  if (!url.startsWith('sqlite:') || url === 'sqlite:') {
    throw new Error(`DATABASE_URL must be sqlite:<path> or sqlite::memory: for this example, got "${url}"`);
  }
  const port = Number(env.PORT || 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be 0 to 65535, got "${env.PORT}"`);
  return { port, jwtSecret: env.JWT_SECRET || DEVELOPMENT_SECRET, databasePath: url.slice('sqlite:'.length) };
}

/** Builds the example app (not yet listening), with the WebSocket adapter the module needs. */
export async function createExpenseApp(settings: ExpenseAppSettings, logger?: LoggerService | false) {
  if (settings.databasePath !== ':memory:') mkdirSync(dirname(settings.databasePath), { recursive: true });
  const app = await NestFactory.create<NestExpressApplication>(ExpenseAppModule.register(settings), {
    logger: logger ?? undefined,
  });
  app.useWebSocketAdapter(new WsAdapter(app));
  return app;
}
