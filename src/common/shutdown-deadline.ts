import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { httpConfig, HttpConfig } from '../config/namespaces/http.config';

/** After the deadline has closed every connection, how long the rest of the shutdown may take. */
const EXIT_GRACE_MS = 5_000;

/**
 * Bounds a shutdown: SHUTDOWN_TIMEOUT_MS after it starts, every connection still open is closed
 * (a client dribbling its body, a request that hangs), so the server's close completes and the app
 * stops; a shutdown by signal that still has not ended EXIT_GRACE_MS later exits with code 1. A
 * drain must not outlive the orchestrator's patience: past it, the kill comes with no "Stopped".
 */
@Injectable()
export class ShutdownDeadline implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Shutdown');
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    @Inject(httpConfig.KEY) private readonly http: HttpConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  beforeApplicationShutdown(signal?: string): void {
    const deadlineMs = this.http.shutdownTimeoutMs;
    const deadline = setTimeout(() => {
      const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
      this.logger.warn({ msg: `Shutdown deadline (${deadlineMs} ms) passed: closing the connections still open` });
      server?.closeAllConnections();
      // Only a real stop by signal: app.close() from code (a test) never ends the process.
      if (signal) this.timers.push(setTimeout(() => process.exit(1), EXIT_GRACE_MS).unref());
    }, deadlineMs);
    // unref: the deadline alone never keeps a process alive that has nothing else left to do.
    this.timers.push(deadline.unref());
  }

  onApplicationShutdown(): void {
    for (const timer of this.timers.splice(0)) clearTimeout(timer);
  }
}
