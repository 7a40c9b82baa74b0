import { Controller, DynamicModule, Get, Module } from '@nestjs/common';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { HealthCheck, HealthCheckService, TerminusModule, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { TypeOrmModule } from '@nestjs/typeorm';
// A host app uses the package's public entry only (`nest-live-notifications` once installed).
import { NOTIFICATIONS_ENTITIES, NOTIFICATIONS_MIGRATIONS, NotificationsModule } from '../../src/index';
import { databaseConnectionOptions } from '../../server/src/database-options';
import type { DatabaseSettings } from '../../server/src/server-settings';
import { ExpenseActions } from './expense-actions';
import { ExpenseNotifications } from './expense-notifications';
import { ExpensesController } from './expenses.controller';
import { ExpensesService } from './expenses.service';

export interface ExpenseAppSettings {
  port: number;
  jwtSecret: string;
  /** From DATABASE_URL: a SQLite file (or `:memory:`), or a PostgreSQL URL. */
  database: DatabaseSettings;
}

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.database.pingCheck('database')]);
  }
}

/** The expense approval app: its own domain, plus the notifications module on its DataSource. */
@Module({})
export class ExpenseAppModule {
  static register(settings: ExpenseAppSettings): DynamicModule {
    return {
      module: ExpenseAppModule,
      imports: [
        EventEmitterModule.forRoot(),
        TypeOrmModule.forRoot({
          ...databaseConnectionOptions(settings.database),
          entities: [...NOTIFICATIONS_ENTITIES],
          migrations: [...NOTIFICATIONS_MIGRATIONS],
          migrationsRun: true,
        }),
        NotificationsModule.forRoot({ jwt: { secret: settings.jwtSecret } }),
        TerminusModule,
      ],
      controllers: [ExpensesController, HealthController],
      providers: [ExpensesService, ExpenseNotifications, ExpenseActions],
    };
  }
}
