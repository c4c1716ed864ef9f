import request from 'supertest';
import { createTestApp, TestApp } from './support/test-app';

/** The embedded sandbox of sandbox mode reads SANDBOX_* as `npm run sandbox` does. */
describe('Embedded sandbox settings from the environment', () => {
  let t: TestApp;
  const send = (sender?: string) =>
    request(t.server)
      .post('/sms')
      .set('x-api-key', t.key)
      .send({ to: '0812345678', message: 'Hi', ...(sender !== undefined && { sender }) });

  beforeAll(async () => {
    t = await createTestApp({
      env: { SANDBOX_CREDIT_STANDARD: '1234', SANDBOX_CREDIT_CORPORATE: '56', SANDBOX_SENDERS: 'Acme, Parcels' },
    });
  });
  afterAll(() => t.close());

  it('starts with the balances of SANDBOX_CREDIT_STANDARD and SANDBOX_CREDIT_CORPORATE', async () => {
    const res = await request(t.server).get('/credit').set('x-api-key', t.key).expect(200);
    expect(res.body).toEqual({ standard: 1234, corporate: 56 });
  });

  it("approves exactly the senders of SANDBOX_SENDERS, plus the app's default sender", async () => {
    await send('Acme').expect(201);
    await send('Parcels').expect(201);
    await send().expect(201); // THAIBULKSMS_SENDER, SMS. by default
    const notListed = await send('Demo'); // one of the defaults, replaced by SANDBOX_SENDERS
    expect(notListed.status).toBe(400);
    expect(notListed.body.error).toBe('ERROR_SENDER_NOT_FOUND');
  });
});
