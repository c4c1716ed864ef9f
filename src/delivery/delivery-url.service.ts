import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { AppConfig } from '../config/app-config';
import type { DeliveryConfig } from '../config/namespaces/delivery.config';
import { EmbeddedSandbox } from '../sandbox/embedded-sandbox';

/** Path of the delivery-report webhook; the secret token is the last segment. */
export const DELIVERY_WEBHOOK_PATH = 'webhooks/thaibulksms';

/**
 * Builds the app's own delivery-report URL for sends that name no `callbackUrl`: from
 * PUBLIC_BASE_URL, or in sandbox mode from the address the app listens on (so the embedded
 * sandbox's reports come back to this app). It also tells the embedded sandbox that this webhook
 * is the only place its reports may go.
 */
@Injectable()
export class DeliveryUrlService {
  private localBaseUrl?: string;
  private readonly delivery: DeliveryConfig;
  private readonly sandboxMode: boolean;

  constructor(
    config: ConfigService<AppConfig, true>,
    private readonly embedded: EmbeddedSandbox,
  ) {
    this.delivery = config.get('delivery', { infer: true });
    this.sandboxMode = config.get('sandbox.enabled', { infer: true });
    this.embedded.reportOnlyTo(this.webhookPrefixes());
  }

  /** Called once the app listens (sandbox mode only uses it). */
  setListeningUrl(url: string): void {
    this.localBaseUrl = url.replace(/\/+$/, '');
    this.embedded.reportOnlyTo(this.webhookPrefixes());
  }

  /** Where this app's webhook lives: under PUBLIC_BASE_URL, and (once known) its local address. */
  private webhookPrefixes(): string[] {
    const bases = [this.delivery.publicBaseUrl, this.localBaseUrl].filter((b) => b !== undefined);
    return bases.map((base) => `${base}/${DELIVERY_WEBHOOK_PATH}/`);
  }

  /** The webhook URL to hand to the vendor, or undefined when the webhook is off/unreachable. */
  defaultCallbackUrl(): string | undefined {
    const token = this.delivery.webhookToken;
    if (!token) return undefined;
    const base = this.delivery.publicBaseUrl ?? (this.sandboxMode ? this.localBaseUrl : undefined);
    return base ? `${base}/${DELIVERY_WEBHOOK_PATH}/${token}` : undefined;
  }
}
