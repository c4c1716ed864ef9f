import { loadAppConfig } from '../load-app-config';
import { problemsOf } from '../config.test-util';
import { DEV_ERASURE_KEY } from './compliance.config';

const LIVE = {
  THAIBULKSMS_API_KEY: 'live-key',
  THAIBULKSMS_API_SECRET: 'live-secret-value',
  THAIBULKSMS_OTP_KEY: 'otp-key',
  THAIBULKSMS_OTP_SECRET: 'otp-secret-value',
  APP_API_KEYS: 'caller-key-0123456789',
};
const SECRET_KEY = 'a-secret-erasure-key-0123456789abcdef';

describe('compliance configuration', () => {
  it('defaults: strict, no link hosts, no opt-out line, 09:00–21:00, the development erasure key in sandbox mode', () => {
    expect(loadAppConfig({}).compliance).toEqual({
      mode: 'strict',
      allowedLinkHosts: [],
      appendOptOutText: true,
      marketingHours: { start: '09:00', end: '21:00' },
      erasureKey: DEV_ERASURE_KEY,
    });
  });

  it('reads the hosts (comma-separated, trimmed), the opt-out line and the window', () => {
    const c = loadAppConfig({
      COMPLIANCE_MODE: 'warn',
      COMPLIANCE_LINK_HOSTS: ' shop.example.co.th, *.example.com ,',
      COMPLIANCE_OPT_OUT_TEXT: 'STOP 4000000',
      COMPLIANCE_APPEND_OPT_OUT_TEXT: 'false',
      COMPLIANCE_MARKETING_START: '10:00',
      COMPLIANCE_MARKETING_END: '20:30',
    }).compliance;
    expect(c).toMatchObject({
      mode: 'warn',
      allowedLinkHosts: ['shop.example.co.th', '*.example.com'],
      optOutText: 'STOP 4000000',
      appendOptOutText: false,
      marketingHours: { start: '10:00', end: '20:30' },
    });
  });

  it('outside sandbox mode the erasure key is required, secret and at least 32 characters', () => {
    expect(problemsOf(LIVE)).toEqual([
      expect.stringMatching(/^COMPLIANCE_ERASURE_KEY is required outside sandbox mode/),
    ]);
    expect(problemsOf({ ...LIVE, COMPLIANCE_ERASURE_KEY: 'short' })).toEqual([
      'COMPLIANCE_ERASURE_KEY must be at least 32 characters.',
    ]);
    expect(problemsOf({ ...LIVE, COMPLIANCE_ERASURE_KEY: DEV_ERASURE_KEY })).toEqual([
      expect.stringContaining('public development key'),
    ]);
    expect(loadAppConfig({ ...LIVE, COMPLIANCE_ERASURE_KEY: SECRET_KEY }).compliance.erasureKey).toBe(SECRET_KEY);
  });

  it('refuses a bad mode, a time that is not HH:mm, a window that ends before it starts, an overlong line', () => {
    expect(problemsOf({ COMPLIANCE_MODE: 'loose' })).toEqual([
      expect.stringContaining('COMPLIANCE_MODE must be one of'),
    ]);
    expect(problemsOf({ COMPLIANCE_MARKETING_START: '9:00' })).toEqual([
      'COMPLIANCE_MARKETING_START must be a 24-hour time HH:mm.',
    ]);
    expect(problemsOf({ COMPLIANCE_MARKETING_START: '21:00', COMPLIANCE_MARKETING_END: '09:00' })).toEqual([
      'COMPLIANCE_MARKETING_START must be before COMPLIANCE_MARKETING_END.',
    ]);
    expect(problemsOf({ COMPLIANCE_OPT_OUT_TEXT: 'x'.repeat(201) })).toEqual([
      'COMPLIANCE_OPT_OUT_TEXT must be at most 200 characters.',
    ]);
  });
});
