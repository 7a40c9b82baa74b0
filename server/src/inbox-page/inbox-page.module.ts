import { DynamicModule, Module } from '@nestjs/common';
import { DevelopmentTokenController } from './development-token.controller';
import { InboxPageController } from './inbox-page.controller';
import { INBOX_PAGE_OPTIONS, InboxPageOptions } from './inbox-page.options';

/** The standalone server's inbox page (not part of the importable library). */
@Module({})
export class InboxPageModule {
  static register(options: InboxPageOptions): DynamicModule {
    return {
      module: InboxPageModule,
      controllers: [InboxPageController, ...(options.developmentTokens ? [DevelopmentTokenController] : [])],
      providers: [{ provide: INBOX_PAGE_OPTIONS, useValue: options }],
    };
  }
}
