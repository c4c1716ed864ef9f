// Loaded first by src/main.ts, before Nest, Express or the library: the HTTP instrumentation
// patches Node's http module as it is loaded, and the SDK must be registered before the library
// asks the OpenTelemetry API for its meter and tracer. Its settings are read with the app's own
// schema (src/config/namespaces/telemetry.config.ts), which loads none of those. With OTEL_ENABLED
// unset or false this file starts nothing.
import { existsSync } from 'node:fs';
import { AppConfigError } from '../config/app-config.error';
import { loadTelemetryConfig } from '../config/namespaces/telemetry.config';
import { RunningTelemetry, startTelemetry } from './otel-sdk';

function start(): RunningTelemetry | undefined {
  // The same .env main.ts reads; variables already in the environment win over it.
  if (existsSync('.env')) process.loadEnvFile('.env');
  let config;
  try {
    config = loadTelemetryConfig(process.env);
  } catch (error) {
    // main.ts reports every configuration problem, these included, and stops.
    if (error instanceof AppConfigError) return undefined;
    throw error;
  }
  if (!config.enabled) return undefined;
  return startTelemetry(config, (message) => process.stderr.write(`${message}\n`));
}

/** The SDK this process started, if any: main.ts hands it to AppModule, which shuts it down. */
export const runningTelemetry = start();
