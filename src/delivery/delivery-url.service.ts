import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';

/** Path of the delivery-report webhook; the secret token is the last segment. */
export const DELIVERY_WEBHOOK_PATH = 'webhooks/thaibulksms';

/**
 * Builds the app's own delivery-report URL for sends that name no `callbackUrl`: from
 * PUBLIC_BASE_URL, or in sandbox mode from the address the app listens on (so the embedded
 * sandbox's reports come back to this app).
 */
@Injectable()
export class DeliveryUrlService {
  private localBaseUrl?: string;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Called once the app listens (sandbox mode only uses it). */
  setListeningUrl(url: string): void {
    this.localBaseUrl = url.replace(/\/+$/, '');
  }

  /** The webhook URL to hand to the vendor, or undefined when the webhook is off/unreachable. */
  defaultCallbackUrl(): string | undefined {
    const token = this.config.delivery.webhookToken;
    if (!token) return undefined;
    const base = this.config.delivery.publicBaseUrl ?? (this.config.sandbox ? this.localBaseUrl : undefined);
    return base ? `${base}/${DELIVERY_WEBHOOK_PATH}/${token}` : undefined;
  }
}
