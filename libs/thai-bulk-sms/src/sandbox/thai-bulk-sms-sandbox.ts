import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { parseThaiMobile } from '../phone/thai-phone';
import { CreditType } from '../message/vendor-limits';
import { DeliveryReporter, settleUnreported } from './delivery.reporter';
import { DeliveryTargets } from './delivery.targets';
import { FaultInjector } from './fault.injector';
import { settleExpiredOtps } from './otp.handler';
import { RequestLog } from './request.log';
import { RequestPipeline } from './request.pipeline';
import { resolveSandboxOptions, SandboxState } from './sandbox.state';
import {
  FaultPlan,
  SandboxApiPath,
  SandboxCreditBalances,
  SandboxCredentials,
  SandboxDeliveryReport,
  SandboxFault,
  SandboxMessage,
  SandboxOptions,
  SandboxOtp,
  SandboxRequest,
  SandboxStats,
} from './sandbox.types';
import { describeError } from '../errors/error-catalogue';

/**
 * A local stand-in for the ThaiBulkSMS API (SMS, credit, OTP) that answers as the reference
 * describes, records what it received, and misbehaves on request. Bare `node:http` on purpose:
 * it sits under our benchmarks and must never be what they measure.
 */
export class ThaiBulkSmsSandbox {
  readonly url: string;
  readonly credentials: SandboxCredentials;
  private readonly reporter: DeliveryReporter;
  private readonly faults: FaultInjector;
  private readonly log: RequestLog;
  private readonly pipeline: RequestPipeline;
  private closed?: Promise<void>;

  private constructor(
    private readonly server: Server,
    private readonly state: SandboxState,
    targets: DeliveryTargets,
  ) {
    const { port } = server.address() as AddressInfo;
    const host = state.options.host.includes(':') ? `[${state.options.host}]` : state.options.host;
    this.url = `http://${host}:${port}`;
    this.credentials = state.options.credentials;
    this.reporter = new DeliveryReporter(state, targets);
    this.faults = new FaultInjector(state.options.random);
    this.log = new RequestLog(state.options.historyLimit);
    this.pipeline = new RequestPipeline({
      state,
      faults: this.faults,
      reporter: this.reporter,
      log: this.log,
      inbox: this,
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.pipeline.handle(req, res));
  }

  /** Starts listening; `port: 0` takes a free port (read it from `url`). */
  static async start(options: SandboxOptions = {}): Promise<ThaiBulkSmsSandbox> {
    const resolved = resolveSandboxOptions(options);
    const state = new SandboxState(resolved, options.failingNumbers);
    // Read before the server listens: a bad entry fails the start.
    const targets = new DeliveryTargets(options.deliveryReportTargets);
    const server = createServer({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(resolved.port, resolved.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return new ThaiBulkSmsSandbox(server, state, targets);
  }

  /**
   * The listening socket no longer keeps the process alive on its own (a test runner must be able
   * to exit when a start failed before anything could close the sandbox). Returns the sandbox.
   */
  unref(): this {
    this.server.unref();
    return this;
  }

  /** Stops listening, drops every connection (keep-alive and hanging ones) and pending reports. */
  close(): Promise<void> {
    this.closed ??= new Promise<void>((resolve) => {
      this.reporter.cancel();
      this.pipeline.cancelTimers();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    return this.closed;
  }

  /** Messages received, oldest first; `phone` in any Thai form. */
  messages(filter: { phone?: string } = {}): SandboxMessage[] {
    settleUnreported(this.state, this.reporter, false);
    const all = this.state.messages.toArray();
    if (filter.phone === undefined) return all;
    const parsed = parseThaiMobile(filter.phone);
    const phone = parsed.valid ? parsed.msisdn : filter.phone;
    return all.filter((m) => m.phone === phone);
  }

  lastMessage(): SandboxMessage | undefined {
    settleUnreported(this.state, this.reporter, false);
    return this.state.messages.last();
  }

  otps(): SandboxOtp[] {
    settleExpiredOtps(this.state);
    return this.state.otps.toArray();
  }

  lastOtp(): SandboxOtp | undefined {
    settleExpiredOtps(this.state);
    return this.state.otps.last();
  }

  credits(): SandboxCreditBalances {
    return { ...this.state.balances };
  }

  setCredits(partial: Partial<Record<CreditType, number>>): void {
    this.state.setCredits(partial);
  }

  /** Numbers (any Thai form) whose delivery reports say `failed` from now on. */
  setFailingNumbers(numbers: readonly string[]): void {
    this.state.setFailingNumbers(numbers);
  }

  /**
   * Every API request received, oldest first, whatever became of it (handled, refused, over the
   * TPS limit, faulted), without credentials. Bounded by `historyLimit`.
   */
  requests(filter: { path?: SandboxApiPath } = {}): SandboxRequest[] {
    const all = this.log.toArray();
    return filter.path === undefined ? all : all.filter((r) => r.path === filter.path);
  }

  /** The sandbox clock (the `clock` option), as OTP expiry and delivery reports read it. */
  now(): number {
    return this.state.now();
  }

  stats(): SandboxStats {
    return {
      requests: Object.fromEntries(this.state.requests),
      windowsOverLimit: this.state.rate.windowsOverLimit(),
      rejectedOverLimit: this.state.rate.rejectedOverLimit,
    };
  }

  deliveryReports(): SandboxDeliveryReport[] {
    return this.reporter.reports();
  }

  /**
   * Where delivery reports may go from now on: URL prefixes, or undefined for any URL (see the
   * `deliveryReportTargets` option). Throws RangeError for an entry that is not an http(s) URL.
   */
  setDeliveryReportTargets(targets: readonly string[] | undefined): void {
    this.reporter.targets.set(targets);
  }

  inject(fault: SandboxFault, plan?: FaultPlan): void {
    this.faults.add(fault, plan);
  }

  /** The next request(s) answer the vendor error `name` with the catalogue's status. */
  failNext(name: string, plan?: FaultPlan): void {
    this.faults.add({ kind: 'vendor-error', name, status: describeError(name).status }, plan);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  /** Sends every pending delivery report now (and settles messages that asked for none). */
  async flushDeliveryReports(): Promise<void> {
    settleUnreported(this.state, this.reporter, true);
    await this.reporter.flush();
  }

  /**
   * History (messages, OTPs, reports, requests), faults, statistics, pending reports, balances and
   * failing numbers back to how they started.
   */
  reset(): void {
    this.reporter.cancel();
    this.reporter.clearHistory();
    this.faults.clear();
    this.log.clear();
    this.state.reset();
  }
}
