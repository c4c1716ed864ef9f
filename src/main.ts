// First: starts the OpenTelemetry SDK (OTEL_ENABLED=true) before anything it instruments is loaded.
import { runningTelemetry } from './telemetry/instrument';
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { escapeLogText } from '@app/thai-bulk-sms/helpers';
import { AppModule } from './app.module';
import { EmbeddedSandbox } from './sandbox/embedded-sandbox';
import { AppConfigError } from './config/app-config.error';
import { AppConfiguration, loadConfiguration } from './config/app-config.module';
import { configureApp, DOCS_PATH } from './configure-app';
import { DeliveryUrlService } from './delivery/delivery-url.service';
import { createLogger } from './logger';
import { printSandboxBanner, sandboxBanner } from './startup-banner';

async function bootstrap(): Promise<void> {
  // ConfigModule reads the environment and .env (the environment wins) and validates them.
  let configuration: AppConfiguration;
  try {
    configuration = await loadConfiguration();
  } catch (error) {
    if (error instanceof AppConfigError) {
      process.stderr.write(`\nThe sample app cannot start.\n${error.message}\n\n`);
      process.exit(1);
    }
    throw error;
  }
  // Its values as well: the logger exists before the app, so it cannot ask ConfigService.
  const config = configuration.values;

  const logger = createLogger(config.app.logFormat);
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot({ configuration, telemetry: runningTelemetry }),
    {
      logger,
      bodyParser: false,
      // A failed start rejects (and is reported below) rather than abort() the process.
      abortOnError: false,
    },
  );
  configureApp(app);
  await app.listen(config.http.port, config.http.host);

  const url = (await app.getUrl()).replace('[::1]', 'localhost').replace('127.0.0.1', 'localhost');
  app.get(DeliveryUrlService).setListeningUrl(await app.getUrl());
  const log = new Logger('Bootstrap');
  log.log({
    msg: 'Sample app listening',
    url,
    docs: `${url}/${DOCS_PATH}`,
    mode: config.sandbox.enabled ? 'sandbox' : 'live',
    // Where the message ledger lives: a folder, or DATABASE_URL with its password masked.
    ledger: config.ledger.enabled ? config.ledger.where : 'off',
    ...(config.ledger.enabled && { console: `${url}/console` }),
  });
  const sandbox = app.get(EmbeddedSandbox).sandbox;
  if (sandbox) printSandboxBanner(sandboxBanner(config, url, sandbox.url), config.app.logFormat);
}

// Whatever stops the start (Redis unreachable, the queue's Redis refusing us, a port in use) ends
// the process with one clear line and code 1: never an unhandled rejection. Messages of the app's
// and the library's start-up errors name hosts and ports, never a password.
bootstrap().catch((error: unknown) => {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`\nThe sample app cannot start.\n${escapeLogText(reason)}\n\n`);
  process.exit(1);
});
