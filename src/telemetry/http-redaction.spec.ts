import type { IncomingMessage } from 'node:http';
import { loadTelemetryConfig } from '../config/namespaces/telemetry.config';
import { isUntraced, redactedUrlAttributes, redactPath } from './http-redaction';

const request = (url: string) => ({ url }) as IncomingMessage;

describe('HTTP span redaction', () => {
  it('leaves /health and /metrics untraced, with or without a query or trailing slash', () => {
    expect(['/health', '/health/', '/metrics', '/metrics?x=1', '/health/live'].map(isUntraced)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['/sms', '/healthz', '/otp/request', '/'].map(isUntraced)).toEqual([false, false, false, false]);
  });

  it('hides the webhook token, alert ids and digit runs in paths', () => {
    expect(redactPath('/webhooks/thaibulksms/V64jBcAjoKnuiiSdrAr3d3Af')).toBe('/webhooks/thaibulksms/:token');
    expect(redactPath('/alerts/key-alert-for-0812345678')).toBe('/alerts/:id');
    expect(redactPath('/0812345678/x')).toBe('/:redacted/x');
    expect(redactPath('/sms')).toBe('/sms');
  });

  it('never records a query string', () => {
    expect(redactedUrlAttributes(request('/webhooks/thaibulksms/tok?msisdn=66812345678&status=DELIVRD'))).toEqual({
      'url.path': '/webhooks/thaibulksms/:token',
      'url.query': 'REDACTED',
    });
    expect(redactedUrlAttributes(request('/sms'))).toEqual({ 'url.path': '/sms' });
  });
});

describe('loadTelemetryConfig', () => {
  it('is off by default, with the exporter on loopback:9464', () => {
    expect(loadTelemetryConfig({})).toEqual({
      enabled: false,
      metricsPort: 9464,
      metricsHost: '127.0.0.1',
      serviceName: 'thaibulksms-sample-app',
    });
  });

  it('reads every variable and refuses bad ones with their names', () => {
    expect(
      loadTelemetryConfig({
        OTEL_ENABLED: 'true',
        METRICS_PORT: '9999',
        METRICS_HOST: '0.0.0.0',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318',
        OTEL_SERVICE_NAME: 'sms',
      }),
    ).toEqual({
      enabled: true,
      metricsPort: 9999,
      metricsHost: '0.0.0.0',
      otlpEndpoint: 'http://127.0.0.1:4318',
      serviceName: 'sms',
    });
    expect(() => loadTelemetryConfig({ OTEL_ENABLED: 'yes', METRICS_PORT: '0' })).toThrow(
      /OTEL_ENABLED must be "true" or "false"[\s\S]*METRICS_PORT must be a whole number from 1 to 65535/,
    );
  });
});
