import { INestApplication } from '@nestjs/common';
import type { Server } from 'node:http';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ConfigService } from '@nestjs/config';
import { ThaiBulkSmsClock, ThaiBulkSmsExceptionFilter } from '@app/thai-bulk-sms';
import { API_KEY_HEADER } from './auth/api-key.guard';
import { AppExceptionFilter } from './common/app-exception.filter';
import { bodyParserErrorHandler } from './common/body-parser-errors';
import { API_KEY_SECURITY } from './common/api-docs.decorators';
import { createValidationPipe } from './common/validation';
import type { AppConfigService } from './config/app-config';
import { ApplicationConfig, DEV_API_KEY } from './config/namespaces/app.config';
import { withFreshExamples } from './common/api-examples';

export const DOCS_PATH = 'docs';

/**
 * Everything main.ts does to the app besides listening, shared with the e2e tests so they
 * exercise exactly the app that runs: server timeouts, body parsers with a size limit, validation,
 * the error filters, Swagger, shutdown hooks. Call before `init()`/`listen()`.
 */
export function configureApp(app: INestApplication): NestExpressApplication {
  const express = app as NestExpressApplication;
  const config: AppConfigService = app.get(ConfigService);
  const http = config.get('http', { infer: true });

  // No connection holds the server for ever: a request must arrive in full, its headers sooner,
  // and an idle keep-alive connection closes (a shutdown's deadline: ShutdownDeadline).
  const server = app.getHttpServer() as Server;
  server.requestTimeout = http.requestTimeoutMs;
  server.headersTimeout = http.headersTimeoutMs;
  server.keepAliveTimeout = http.keepAliveTimeoutMs;

  express.disable('x-powered-by');
  express.set('trust proxy', http.trustProxy);
  // Our parsers replace Nest's defaults (created with bodyParser: false): a bounded JSON body, and
  // forms for the delivery-report webhook. Larger bodies answer 413, malformed JSON 400.
  express.useBodyParser('json', { limit: http.bodyLimitBytes });
  express.useBodyParser('urlencoded', { limit: http.bodyLimitBytes, extended: false });
  express.use(bodyParserErrorHandler);

  app.useGlobalPipes(createValidationPipe());
  // The library's filter answers its errors; ours gives everything else the same body shape.
  app.useGlobalFilters(new AppExceptionFilter(new ThaiBulkSmsExceptionFilter(app.getHttpAdapter())));
  // SIGTERM/SIGINT: stop accepting connections, let requests in flight finish (for at most
  // SHUTDOWN_TIMEOUT_MS: ShutdownDeadline), close the sandbox and Redis, then exit with code 0 (a
  // clean stop, not a death by signal).
  app.enableShutdownHooks([], { useProcessExit: true });

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('ThaiBulkSMS sample app')
      .setDescription(
        'The sample app of nestjs-thaibulksms. Every route but /health, /docs and the delivery webhook needs the `x-api-key` header. ' +
          'Errors: `{ statusCode, error, message }`, where `error` is the vendor error name whenever one applies.',
      )
      .setVersion('0.1.0')
      .addApiKey(
        {
          type: 'apiKey',
          name: API_KEY_HEADER,
          in: 'header',
          description: apiKeyHint(config.get('app', { infer: true })),
        },
        API_KEY_SECURITY,
      )
      .build(),
  );
  const clock = app.get(ThaiBulkSmsClock);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}/json`,
    // Examples that depend on the time (a schedule an hour ahead) are written when the page asks.
    patchDocumentOnRequest: (_req, _res, doc) => withFreshExamples(doc, clock.now()),
  });
  return express;
}

/** What the Authorize dialog says about the key: in sandbox mode with no APP_API_KEYS, the development key itself. */
function apiKeyHint(app: ApplicationConfig): string {
  // The development key is only ever accepted in sandbox mode.
  return app.usingDevApiKey
    ? `Sandbox mode: the development key is ${DEV_API_KEY} (set APP_API_KEYS to choose your own).`
    : 'One of the keys in APP_API_KEYS.';
}
