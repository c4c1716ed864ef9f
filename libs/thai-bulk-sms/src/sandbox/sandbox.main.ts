import { readSandboxEnv, SandboxEnvError } from './sandbox.env';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

/** `npm run sandbox`: the sandbox on its own, configured from the environment. */
async function main(): Promise<void> {
  const options = readSandboxEnv(process.env);
  const sandbox = await ThaiBulkSmsSandbox.start(options);
  const usingDefaults = options.apiKey === undefined;
  // Never print secrets: only the URL and whether the published defaults are in use.
  process.stdout.write(
    `ThaiBulkSMS sandbox listening on ${sandbox.url}\n` +
      `  inbox:   ${sandbox.url}/\n` +
      `  SMS API: ${sandbox.url}/sms (credentials: ${usingDefaults ? 'sandbox defaults' : 'THAIBULKSMS_API_KEY/_SECRET'})\n` +
      `  OTP API: ${sandbox.url}/v2/otp/request, /v2/otp/verify\n` +
      `  senders: ${options.senders?.join(', ')}\n`,
  );
  const stop = (signal: string) => {
    process.stdout.write(`\n${signal}: closing the sandbox\n`);
    void sandbox.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const message =
    error instanceof SandboxEnvError
      ? error.message
      : `Sandbox failed to start: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
});
