import type { ConfigType } from '@nestjs/config';
import { randomBytes } from 'node:crypto';
import { configNamespace } from '../config-namespace';
import { EnvHttpUrl, EnvMatches } from '../env.decorators';
import { sandboxMode } from '../run-mode';

export class DeliveryVariables {
  /** Secret last path segment of the webhook; unset: made up per start in sandbox mode, webhook off otherwise. */
  @EnvMatches(/^[A-Za-z0-9_-]{16,128}$/, '16 to 128 characters of A-Z, a-z, 0-9, "_" or "-" (it is a URL path segment)')
  DELIVERY_WEBHOOK_TOKEN?: string;
  /** Public URL of this app: sends without a callbackUrl get its webhook. */
  @EnvHttpUrl() PUBLIC_BASE_URL?: string;
}

/** Delivery reports: the webhook's secret and the app's public address. */
export const deliveryConfig = configNamespace('delivery', {
  variables: DeliveryVariables,
  // A token given but malformed is reported on its own, not as missing too.
  check: (env, given) =>
    env.PUBLIC_BASE_URL && !given.DELIVERY_WEBHOOK_TOKEN?.trim() && !sandboxMode(env).enabled
      ? ['PUBLIC_BASE_URL is set but DELIVERY_WEBHOOK_TOKEN is not: the delivery-report webhook needs its secret.']
      : [],
  read: (env) => {
    // In sandbox mode the sandbox calls the app back, so the webhook needs a token: one for this run.
    const webhookToken =
      env.DELIVERY_WEBHOOK_TOKEN ?? (sandboxMode(env).enabled ? randomBytes(18).toString('base64url') : undefined);
    return {
      /** Secret path segment of the webhook; undefined = webhook off. */
      webhookToken,
      /**
       * True when the token was made up for this run: nobody else knows it, so the start-up banner
       * prints the webhook URL with it. A token from the environment is never printed.
       */
      webhookTokenGenerated: webhookToken !== env.DELIVERY_WEBHOOK_TOKEN,
      publicBaseUrl: env.PUBLIC_BASE_URL?.replace(/\/+$/, ''),
    };
  },
});

export type DeliveryConfig = ConfigType<typeof deliveryConfig>;
