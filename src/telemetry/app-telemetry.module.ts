import {
  DynamicModule,
  Inject,
  Injectable,
  Module,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { ThaiBulkSmsTelemetryModule } from '@app/thai-bulk-sms/telemetry';
import { TelemetryConfig, telemetryConfig } from '../config/namespaces/telemetry.config';
import { EmbeddedSandbox } from '../sandbox/embedded-sandbox';
import { HttpRouteGuard } from './http-route.guard';
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
 * spans named after their routes (HttpRouteGuard). Off, nothing is registered, so nothing is paid
 * per request.
 */
@Module({})
export class AppTelemetryModule {
  static forRoot(config: TelemetryConfig, telemetry: RunningTelemetry | undefined): DynamicModule {
    if (!config.enabled) return { module: AppTelemetryModule };
    return {
      module: AppTelemetryModule,
      imports: [
        ThaiBulkSmsTelemetryModule.forRootAsync({
          imports: [ConfigModule],
          inject: [telemetryConfig.KEY],
          // Without an OTLP endpoint nothing would receive spans: the library makes none.
          useFactory: (telemetry: TelemetryConfig) => ({ traces: telemetry.otlpEndpoint !== undefined }),
        }),
      ],
      providers: [
        { provide: RUNNING_TELEMETRY, useValue: telemetry },
        TelemetryLifecycle,
        // Server spans exist only when traces are exported (src/telemetry/otel-sdk.ts).
        ...(config.otlpEndpoint !== undefined ? [{ provide: APP_GUARD, useClass: HttpRouteGuard }] : []),
      ],
    };
  }
}
