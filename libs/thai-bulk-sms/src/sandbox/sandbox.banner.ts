import { SandboxCredentials, SandboxOptions } from './sandbox.types';

/**
 * What `npm run sandbox` prints at start: its URLs, the credentials it accepts and the senders it
 * approves. The default credentials are published development values, so they are printed in full
 * (a newcomer needs them to call the sandbox); credentials taken from the environment are never
 * printed, only where they came from.
 */
export function sandboxBanner(
  sandbox: { readonly url: string; readonly credentials: SandboxCredentials },
  options: Pick<SandboxOptions, 'apiKey' | 'otpKey' | 'senders'>,
): string {
  const { url, credentials } = sandbox;
  const pair = (label: string, key: string, secret: string, fromEnv: boolean, envNames: string) =>
    fromEnv
      ? [`    ${label}: from ${envNames} (not printed)`]
      : [
          `    ${label} key:    ${key}`,
          `    ${label} secret: ${secret}   (development defaults; set ${envNames} to change them)`,
        ];
  return [
    `ThaiBulkSMS sandbox listening on ${url}`,
    `  inbox:   ${url}/`,
    `  SMS API: ${url}/sms, ${url}/credit (HTTP Basic: API key as user, API secret as password)`,
    ...pair(
      'API',
      credentials.apiKey,
      credentials.apiSecret,
      options.apiKey !== undefined,
      'THAIBULKSMS_API_KEY/_SECRET',
    ),
    `  OTP API: ${url}/v2/otp/request, ${url}/v2/otp/verify (key and secret in the body)`,
    ...pair(
      'OTP',
      credentials.otpKey,
      credentials.otpSecret,
      options.otpKey !== undefined,
      'THAIBULKSMS_OTP_KEY/_SECRET',
    ),
    `  senders: ${options.senders?.join(', ') ?? ''}`,
    `  point your app at it: THAIBULKSMS_BASE_URL=${url} THAIBULKSMS_OTP_BASE_URL=${url}`,
    '',
  ].join('\n');
}
