import 'reflect-metadata';
import { INestApplication, LogLevel, ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';

/** The host as a user writes it: Express, a global prefix and a strict global ValidationPipe. */
export async function createApp(logger: LogLevel[] = ['log', 'error', 'warn']): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { logger });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  app.enableShutdownHooks();
  // No useWebSocketAdapter: the host's gateway runs on Nest's default (Socket.IO) adapter.
  return app;
}

if (require.main === module) {
  void createApp().then((app) => app.listen(Number(process.env.PORT ?? 3000)));
}
