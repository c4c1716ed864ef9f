import { Logger, OnApplicationShutdown } from '@nestjs/common';
import { ThaiBulkSmsClock } from '@app/thai-bulk-sms';
import { SANDBOX_DEFAULT_PORT, SANDBOX_DEFAULT_SENDERS, ThaiBulkSmsSandbox } from '@app/thai-bulk-sms/sandbox';
import type { AppConfigService } from '../config/app-config';

/**
 * The in-process ThaiBulkSMS sandbox of sandbox mode (or nothing outside it). Started before the
 * library module is built, so its URL and credentials feed `ThaiBulkSmsModule.forRootAsync`;
 * closed when the app shuts down.
 */
export class EmbeddedSandbox implements OnApplicationShutdown {
  private static readonly logger = new Logger('Sandbox');

  private constructor(
    readonly sandbox: ThaiBulkSmsSandbox | undefined,
    /** SANDBOX_DELIVERY_REPORT_TARGETS: where reports may go besides the app's own webhook. */
    private readonly extraTargets: readonly string[] = [],
  ) {}

  /**
   * The sandbox sends delivery reports only to these URL prefixes (the app's own webhook) and
   * SANDBOX_DELIVERY_REPORT_TARGETS: a caller's callbackUrl aimed at any other port of this
   * machine is never called.
   */
  reportOnlyTo(prefixes: readonly string[]): void {
    this.sandbox?.setDeliveryReportTargets([...this.extraTargets, ...prefixes]);
  }

  static async start(config: AppConfigService, clock: ThaiBulkSmsClock): Promise<EmbeddedSandbox> {
    const mode = config.get('sandbox', { infer: true });
    if (!mode.enabled) return new EmbeddedSandbox(undefined);
    const t = config.get('thaibulksms', { infer: true });
    // SANDBOX_CREDIT_*, SANDBOX_SENDERS… as `npm run sandbox` reads them (src/config/embedded-sandbox-env.ts).
    const settings = mode.settings ?? {};
    // The app's default sender must be approved, or every send without a sender would fail.
    const senders = [...(settings.senders ?? SANDBOX_DEFAULT_SENDERS)];
    if (!senders.includes(t.sender)) senders.push(t.sender);
    const options = {
      ...settings,
      host: '127.0.0.1',
      // Credentials given in the environment are the ones the sandbox accepts, so the app is
      // configured exactly as it would be against the real API.
      ...(t.apiKey && t.apiSecret && { apiKey: t.apiKey, apiSecret: t.apiSecret }),
      ...(t.otpKey && t.otpSecret && { otpKey: t.otpKey, otpSecret: t.otpSecret }),
      senders,
      maxTps: t.maxTps,
      otpTtlMs: config.get('otp.tokenTtlSeconds', { infer: true }) * 1000,
      clock,
      // Nowhere until the app names its webhook (DeliveryUrlService), then there only.
      deliveryReportTargets: settings.deliveryReportTargets ?? [],
    };
    let sandbox: ThaiBulkSmsSandbox;
    try {
      sandbox = await ThaiBulkSmsSandbox.start({ ...options, port: mode.port ?? SANDBOX_DEFAULT_PORT });
    } catch (error) {
      // The default port is taken (say, by `npm run sandbox`): any free port will do.
      if (mode.port !== undefined || (error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      sandbox = await ThaiBulkSmsSandbox.start({ ...options, port: 0 });
    }
    EmbeddedSandbox.logger.log({ msg: 'Embedded ThaiBulkSMS sandbox started', url: sandbox.url, reason: mode.reason });
    return new EmbeddedSandbox(sandbox, settings.deliveryReportTargets);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sandbox?.close();
  }
}
