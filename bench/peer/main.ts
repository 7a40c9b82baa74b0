/**
 * The peer: a Nest 11 notification server written the way the docs and typical tutorials
 * do it (Socket.IO gateway, TypeORM repositories). Settings: PORT, DATABASE_FILE, JWT_SECRET.
 */
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

async function bootstrap() {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  const port = Number(process.env.PORT ?? 3000);
  await app.listen(port);
  console.log(`listening ${port}`);
}
void bootstrap();
