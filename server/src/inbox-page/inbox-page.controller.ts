import { Controller, Get, Header, Inject } from '@nestjs/common';
import { INBOX_PAGE_CSS } from './inbox-page.css';
import { inboxPageHtml } from './inbox-page.html';
import { loadInboxApp, loadServiceWorker } from './inbox-page-bundle';
import { INBOX_PAGE_OPTIONS, InboxPageOptions } from './inbox-page.options';

// The page loads only its own script and stylesheet and talks only to this origin: even a
// rendering bug could not run an injected script.
const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** The inbox page at `/`, its two assets and its service worker. */
@Controller()
export class InboxPageController {
  private script: Promise<string> | undefined;
  private worker: Promise<string> | undefined;
  private readonly html: string;

  constructor(@Inject(INBOX_PAGE_OPTIONS) options: InboxPageOptions) {
    this.html = inboxPageHtml({ developmentTokens: options.developmentTokens !== undefined });
  }

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', CONTENT_SECURITY_POLICY)
  @Header('referrer-policy', 'no-referrer')
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'no-store')
  page(): string {
    return this.html;
  }

  @Get('inbox/inbox.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  stylesheet(): string {
    return INBOX_PAGE_CSS;
  }

  @Get('inbox/inbox.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  async app(): Promise<string> {
    // Loaded on first request, not at start: servers that never serve the page never bundle it.
    this.script ??= loadInboxApp();
    try {
      return await this.script;
    } catch (error) {
      this.script = undefined;
      throw error;
    }
  }

  /** Shows Web Push messages while no tab is open (scope /inbox/; the page registers it). */
  @Get('inbox/sw.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('x-content-type-options', 'nosniff')
  @Header('cache-control', 'no-cache')
  async serviceWorker(): Promise<string> {
    this.worker ??= loadServiceWorker();
    try {
      return await this.worker;
    } catch (error) {
      this.worker = undefined;
      throw error;
    }
  }
}
