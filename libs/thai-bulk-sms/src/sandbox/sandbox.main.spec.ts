import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { sandboxBanner } from './sandbox.banner';
import { SANDBOX_DEFAULT_CREDENTIALS } from './sandbox.constants';

const ROOT = join(__dirname, '..', '..', '..', '..');

/** `npm run sandbox` as a developer runs it (on a free port), until `pattern` shows in its output. */
function startNpmSandbox(env: Record<string, string>): {
  child: ChildProcess;
  output: (pattern: RegExp) => Promise<string>;
} {
  const child = spawn('npm', ['run', '--silent', 'sandbox'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', SANDBOX_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, so the test stops npm and the sandbox together
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const output = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => (pattern.test(out) ? resolve(out) : undefined);
      child.stdout.on('data', check);
      child.once('exit', () => reject(new Error(`npm run sandbox exited:\n${out}`)));
      check();
    });
  return { child, output };
}

const stop = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve();
    child.once('exit', () => resolve());
    process.kill(-child.pid, 'SIGTERM');
  });

describe('npm run sandbox', () => {
  let child: ChildProcess | undefined;
  afterEach(async () => {
    if (child) await stop(child);
    child = undefined;
  });

  it('prints the development credentials it accepts, and they work', async () => {
    const started = startNpmSandbox({});
    child = started.child;
    const out = await started.output(/point your app at it/);
    const url = /listening on (http:\/\/\S+)/.exec(out)![1];
    const printed = (label: string) => new RegExp(`${label}:\\s+(\\S+)`).exec(out)![1];
    const credentials = {
      apiKey: printed('API key'),
      apiSecret: printed('API secret'),
      otpKey: printed('OTP key'),
      otpSecret: printed('OTP secret'),
    };
    expect(credentials).toEqual(SANDBOX_DEFAULT_CREDENTIALS);

    const basic = Buffer.from(`${credentials.apiKey}:${credentials.apiSecret}`).toString('base64');
    const credit = await fetch(`${url}/credit`, { headers: { authorization: `Basic ${basic}` } });
    expect(credit.status).toBe(200);
    const otp = await fetch(`${url}/v2/otp/request`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: credentials.otpKey, secret: credentials.otpSecret, msisdn: '0812345678' }),
    });
    expect(otp.status).toBe(200);
  }, 30_000);

  it('never prints credentials given in the environment', () => {
    const text = sandboxBanner(
      {
        url: 'http://127.0.0.1:4010',
        credentials: { apiKey: 'k-env', apiSecret: 's-env', otpKey: 'ok-env', otpSecret: 'os-env' },
      },
      { apiKey: 'k-env', otpKey: 'ok-env', senders: ['SMS.'] },
    );
    for (const secret of ['k-env', 's-env', 'ok-env', 'os-env']) expect(text).not.toContain(secret);
    expect(text).toContain('API: from THAIBULKSMS_API_KEY/_SECRET (not printed)');
    expect(text).toContain('OTP: from THAIBULKSMS_OTP_KEY/_SECRET (not printed)');
  });
});
