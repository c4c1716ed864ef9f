import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ThaiBulkSmsTelemetryModule } from '@app/thai-bulk-sms/telemetry';
import { EmbeddedSandbox } from '../sandbox/embedded-sandbox';
import { HttpRouteInterceptor } from './http-route.interceptor';
import type { RunningTelemetry } from './otel-sdk';

/** The SDK started by src/telemetry/instrument.ts (undefined in tests, which start their own or none). */
export const RUNNING_TELEMETRY = Symbol('RUNNING_TELEMETRY');

/** Keeps the embedded sandbox's requests out of the app's traces, and flushes the SDK at shutdown. */
@Injectable()
class TelemetryLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(RUNNING_TELEMETRY) private readonly telemetry: RunningTelemetry | undefined,
    @Inject(EmbeddedSandbox) private readonly embedded: EmbeddedSandbox,
  ) {}

  onApplicationBootstrap(): void {
    const url = this.embedded.sandbox?.url;
    if (url && this.telemetry) this.telemetry.ignoredPorts.add(Number(new URL(url).port));
  }

  async onApplicationShutdown(): Promise<void> {
    // The last spans and metrics go out, and the Prometheus server closes.
    await this.telemetry?.shutdown();
  }
}

/**
 * OTEL_ENABLED=true: the library's metrics and spans (ThaiBulkSmsTelemetryModule) and HTTP server
 * spans named after their routes. Off, nothing is registered, so nothing is paid per request.
 */
@Module({})
export class AppTelemetryModule {
  static forRoot(enabled: boolean, telemetry: RunningTelemetry | undefined): DynamicModule {
    if (!enabled) return { module: AppTelemetryModule };
    return {
      module: AppTelemetryModule,
      imports: [ThaiBulkSmsTelemetryModule.forRoot()],
      providers: [
        { provide: RUNNING_TELEMETRY, useValue: telemetry },
        TelemetryLifecycle,
        { provide: APP_INTERCEPTOR, useClass: HttpRouteInterceptor },
      ],
    };
  }
}
