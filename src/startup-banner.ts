import { Logger } from '@nestjs/common';
import type { AppConfig } from './config/app-config';
import { DEV_API_KEY, LogFormat } from './config/namespaces/app.config';
import { DOCS_PATH } from './configure-app';
import { DELIVERY_WEBHOOK_PATH } from './delivery/delivery-url.service';

/** What a newcomer needs after `npm start` in sandbox mode: where to click, which key, which webhook. */
export interface SandboxBanner {
  readonly reason: string;
  readonly swaggerUi: string;
  readonly sandboxInbox: string;
  /** The development key, or undefined when APP_API_KEYS is set (those are never printed). */
  readonly devApiKey?: string;
  /**
   * The delivery-report webhook. With the token only when the app made it up for this run (a
   * development secret nobody else has); a DELIVERY_WEBHOOK_TOKEN from the environment stays out.
   */
  readonly deliveryWebhook?: string;
  readonly tryIt: string;
}

export function sandboxBanner(config: AppConfig, appUrl: string, sandboxUrl: string): SandboxBanner {
  const { webhookToken, webhookTokenGenerated } = config.delivery;
  const { usingDevApiKey } = config.app;
  const key = usingDevApiKey ? DEV_API_KEY : '<your key>';
  return {
    reason: config.sandbox.reason,
    swaggerUi: `${appUrl}/${DOCS_PATH}`,
    sandboxInbox: `${sandboxUrl}/`,
    ...(usingDevApiKey && { devApiKey: DEV_API_KEY }),
    ...(webhookToken && {
      deliveryWebhook: `${appUrl}/${DELIVERY_WEBHOOK_PATH}/${webhookTokenGenerated ? webhookToken : '<DELIVERY_WEBHOOK_TOKEN>'}`,
    }),
    tryIt: `curl -s -X POST ${appUrl}/sms -H 'x-api-key: ${key}' -H 'content-type: application/json' -d '{"to":"0812345678","message":"Hello"}'`,
  };
}

/**
 * Text logs: the banner as a block on stdout, for a person. JSON logs: one JSON line through the
 * logger, like every other line, so a log shipper never meets plain text.
 */
export function printSandboxBanner(banner: SandboxBanner, format: LogFormat): void {
  if (format === 'json') {
    new Logger('Bootstrap').log({ msg: 'Sandbox mode: nothing leaves this machine', ...banner });
    return;
  }
  const lines = [
    '',
    `  ThaiBulkSMS sample app — SANDBOX MODE (${banner.reason}); nothing leaves this machine.`,
    `  Swagger UI:    ${banner.swaggerUi}`,
    `  Sandbox inbox: ${banner.sandboxInbox}`,
    banner.devApiKey
      ? `  Dev API key:   ${banner.devApiKey}   (send it as the x-api-key header; set APP_API_KEYS to change it)`
      : '  API keys:      from APP_API_KEYS',
    ...(banner.deliveryWebhook
      ? [`  Webhook URL:   ${banner.deliveryWebhook}   (delivery reports; see "Try it" in the README)`]
      : []),
    `  Try:  ${banner.tryIt}`,
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
