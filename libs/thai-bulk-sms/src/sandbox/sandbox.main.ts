import { sandboxBanner } from './sandbox.banner';
import { SandboxEnvError } from '../errors';
import { readSandboxEnv } from './sandbox.env';
import { ThaiBulkSmsSandbox } from './thai-bulk-sms-sandbox';

/** `npm run sandbox`: the sandbox on its own, configured from the environment. */
async function main(): Promise<void> {
  const options = readSandboxEnv(process.env);
  const sandbox = await ThaiBulkSmsSandbox.start(options);
  // The default credentials are development values and printed; ones from the environment are not.
  process.stdout.write(sandboxBanner(sandbox, options));
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
