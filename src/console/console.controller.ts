import { Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { LedgerQueryError, LedgerUnavailableError, MessageLedger } from '@app/thai-bulk-sms/ledger';
import { isThaiMobile } from '@app/thai-bulk-sms/helpers';
import { API_KEY_HEADER } from '../auth/api-key.guard';
import { ApiKeys } from '../auth/api-keys';
import { Public } from '../auth/public.decorator';
import {
  dashboardPage,
  DashboardView,
  layout,
  messagePage,
  notFoundPage,
  signInPage,
  unavailablePage,
} from './console-pages';
import type { Html } from './html';
import { ConsoleSessions } from './console-sessions';
import { clearSessionCookie, isCrossOrigin, sendPage, sessionCookieOf, setSessionCookie } from './console-http';

const SERIES_DAYS = 14;
const OTPS_SHOWN = 20;

interface ConsolePage {
  readonly status: number;
  readonly title: string;
  readonly body: Html;
}

/**
 * The operator console at /console: server-rendered pages over the message ledger. Public to the
 * global guard because it answers a sign-in page rather than JSON; it lets in a request with a
 * valid `x-api-key` or a valid session cookie (ConsoleSessions), nothing else.
 */
@ApiExcludeController()
@Public()
@Controller('console')
export class ConsoleController {
  constructor(
    private readonly ledger: MessageLedger,
    private readonly keys: ApiKeys,
    private readonly sessions: ConsoleSessions,
  ) {}

  @Get()
  dashboard(@Req() req: Request, @Res() res: Response, @Query('q') q: unknown): Promise<void> {
    return this.answer(req, res, async () => {
      const query = typeof q === 'string' ? q.trim().slice(0, 128) : '';
      const view: DashboardView = {
        query,
        ...(await this.search(query)),
        series: await this.ledger.dailySeries(SERIES_DAYS),
      };
      return { status: 200, title: 'Messages', body: dashboardPage(view) };
    });
  }

  @Get('messages/:messageId')
  message(@Req() req: Request, @Res() res: Response, @Param('messageId') messageId: string): Promise<void> {
    return this.answer(req, res, async () => {
      const found = messageId.length <= 128 ? await this.ledger.findMessage(messageId) : undefined;
      return found
        ? { status: 200, title: 'Message', body: messagePage(found) }
        : { status: 404, title: 'Not found', body: notFoundPage() };
    });
  }

  @Post('sign-in')
  signIn(@Req() req: Request, @Res() res: Response): void {
    if (isCrossOrigin(req)) return this.askToSignIn(res, 403, 'Sign in from this site’s own page.');
    const key = (req.body as Record<string, unknown> | undefined)?.key;
    if (!this.keys.matches(key)) return this.askToSignIn(res, 401, 'That key is not one of the app’s API keys.');
    setSessionCookie(req, res, this.sessions.issue(key as string), this.sessions.lifetimeSeconds);
    res.redirect(303, '/console');
  }

  @Post('sign-out')
  signOut(@Req() req: Request, @Res() res: Response): void {
    if (isCrossOrigin(req)) return this.askToSignIn(res, 403, 'Sign out from this site’s own page.');
    clearSessionCookie(req, res);
    res.redirect(303, '/console');
  }

  /**
   * A phone (any Thai form) lists its messages and OTP requests ("did the OTP reach them?");
   * anything else is looked up as a message id.
   */
  private async search(query: string): Promise<Pick<DashboardView, 'results' | 'otps' | 'problem'>> {
    if (query === '') return {};
    try {
      if (isThaiMobile(query)) {
        const [page, otps] = await Promise.all([
          this.ledger.searchMessages({ phone: query }),
          this.ledger.findOtps(query, OTPS_SHOWN),
        ]);
        return { results: page.items, otps };
      }
      const message = await this.ledger.findMessage(query);
      return { results: message ? [message] : [] };
    } catch (error) {
      if (error instanceof LedgerQueryError) return { problem: error.message };
      throw error;
    }
  }

  /** A page for a signed-in operator; a ledger whose database does not answer is a 503 page, not JSON. */
  private async answer(req: Request, res: Response, build: () => Promise<ConsolePage>): Promise<void> {
    if (!this.signedIn(req)) return this.askToSignIn(res, 401);
    let page: ConsolePage;
    try {
      page = await build();
    } catch (error) {
      if (!(error instanceof LedgerUnavailableError)) throw error;
      page = { status: 503, title: 'Unavailable', body: unavailablePage() };
    }
    const bySession = this.hasSession(req);
    sendPage(res, page.status, (nonce) => layout(nonce, page.title, page.body, bySession));
  }

  private signedIn(req: Request): boolean {
    return this.keys.matches(req.headers[API_KEY_HEADER]) || this.hasSession(req);
  }

  private hasSession(req: Request): boolean {
    return this.sessions.verify(sessionCookieOf(req));
  }

  private askToSignIn(res: Response, status: number, problem?: string): void {
    sendPage(res, status, (nonce) => layout(nonce, 'Sign in', signInPage(problem), false));
  }
}
