import request from 'supertest';
import type { TestApp } from '../support/test-app';

/** A webhook token for the ledger specs' apps (the webhook is off without one outside sandbox defaults). */
export const LEDGER_WEBHOOK_TOKEN = 'ledger-spec-webhook-token-0001';

/** `x-api-key` requests against a test app. */
export function api(t: TestApp) {
  return {
    get: (path: string) => request(t.server).get(path).set('x-api-key', t.key),
    post: (path: string, body: object) => request(t.server).post(path).set('x-api-key', t.key).send(body),
    delete: (path: string) => request(t.server).delete(path).set('x-api-key', t.key),
  };
}

/** Sends one SMS through POST /sms and answers the message ids, in the order of `to`. */
export async function sendThroughApp(
  t: TestApp,
  body: { to: string | string[]; message?: string; sender?: string; tags?: string[] },
): Promise<string[]> {
  const res = await api(t)
    .post('/sms', { message: 'Ledger spec', ...body })
    .expect(201);
  return (res.body as { accepted: { messageId: string }[] }).accepted.map((a) => a.messageId);
}

/** Posts a delivery report to the app's webhook, as ThaiBulkSMS does. */
export async function report(t: TestApp, fields: Record<string, string>): Promise<void> {
  await request(t.server)
    .post(`/webhooks/thaibulksms/${LEDGER_WEBHOOK_TOKEN}`)
    .send(fields)
    .expect(200, { received: true });
}
