import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ERROR_CATALOGUE, isVendorErrorName } from './error-catalogue';
import { OtpCodeInvalidError, OtpTokenExpiredError } from './otp.errors';
import { ThaiBulkSmsAccountError } from './thai-bulk-sms-account.error';
import { ThaiBulkSmsRequestError } from './thai-bulk-sms-request.error';
import { ThaiBulkSmsUpstreamError } from './thai-bulk-sms-upstream.error';
import { localVendorError, vendorError } from './vendor-error.factory';

// The vendor's API document, kept in the repository so a fresh clone can run this test. Where the
// workspace's shared seeds sit beside the repository, the copy must still be the same document.
const REPO_ROOT = path.resolve(__dirname, '../../../..');
const SEED = path.join(REPO_ROOT, 'docs/vendor/thaibulksms-api-v2.th.txt');
const SHARED_SEED = path.resolve(REPO_ROOT, '../shared/seeds/000_3a25eb9c43ddc7db.txt');

/** Rows "400\tERROR_FORM\tForm is invalid." of the vendor's table. */
function seedTable(): { status: number; name: string; description: string }[] {
  const rows = readFileSync(SEED, 'utf8')
    .split(/\r?\n/)
    .map((line) => /^(\d{3})\s+([A-Z_]+)\s+(.+?)\s*$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null);
  return rows.map(([, status, name, description]) => ({ status: Number(status), name, description }));
}

describe('ERROR_CATALOGUE against the vendor document', () => {
  it('reads the vendor document kept in the repository, unchanged from the shared seed', () => {
    expect(existsSync(SEED)).toBe(true);
    if (existsSync(SHARED_SEED)) expect(readFileSync(SEED, 'utf8')).toBe(readFileSync(SHARED_SEED, 'utf8'));
  });

  it('has every name of the table, with its status and description word for word', () => {
    const rows = seedTable();
    // 57 rows; ERROR_USER_NOT_FOUND is listed twice.
    expect(rows.length).toBeGreaterThanOrEqual(57);
    expect(new Set(rows.map((row) => row.name)).size).toBe(Object.keys(ERROR_CATALOGUE).length);
    const missing = rows.filter((row) => !isVendorErrorName(row.name)).map((row) => row.name);
    expect(missing).toEqual([]);
    for (const row of rows) {
      const entry = ERROR_CATALOGUE[row.name as keyof typeof ERROR_CATALOGUE];
      expect({ name: row.name, status: entry.status, description: entry.description }).toEqual(row);
    }
  });

  it('has nothing the table does not', () => {
    const names = new Set(seedTable().map((row) => row.name));
    expect(Object.keys(ERROR_CATALOGUE).filter((name) => !names.has(name))).toEqual([]);
  });
});

describe('vendorError', () => {
  it('types known names by category', () => {
    expect(vendorError({ name: 'ERROR_MSISDN', upstreamStatus: 400 })).toBeInstanceOf(ThaiBulkSmsRequestError);
    expect(vendorError({ name: 'ERROR_AUTHENTICATION_FAILED', upstreamStatus: 401 })).toBeInstanceOf(
      ThaiBulkSmsAccountError,
    );
    expect(vendorError({ name: 'ERROR_INSUFFICIENT_CREDIT', upstreamStatus: 400 })).toBeInstanceOf(
      ThaiBulkSmsAccountError,
    );
    expect(vendorError({ name: 'ERROR_SYSTEM_FAILURE', upstreamStatus: 500 })).toBeInstanceOf(ThaiBulkSmsUpstreamError);
  });

  it('keeps the vendor code, name, description and status', () => {
    const error = vendorError({
      name: 'ERROR_MESSAGE',
      upstreamStatus: 400,
      vendorCode: 112,
      description: 'The message is invalid.',
    });
    expect(error).toMatchObject({
      errorName: 'ERROR_MESSAGE',
      vendorCode: 112,
      upstreamStatus: 400,
      description: 'The message is invalid.',
      source: 'upstream',
    });
  });

  it('reports only the code the vendor sent, never one the catalogue infers', () => {
    expect(ERROR_CATALOGUE.ERROR_MSISDN).toMatchObject({ code: 114, codeSource: 'inferred' });
    for (const name of ['ERROR_FORM', 'ERROR_SENDER', 'ERROR_MSISDN', 'ERROR_MESSAGE', 'ERROR_INSUFFICIENT_CREDIT']) {
      expect(localVendorError(name).vendorCode).toBeUndefined();
      expect(vendorError({ name, upstreamStatus: 400 }).vendorCode).toBeUndefined();
      expect(JSON.parse(JSON.stringify(localVendorError(name))).vendorCode).toBeUndefined();
    }
    expect(vendorError({ name: 'ERROR_MSISDN', upstreamStatus: 400, vendorCode: 114 }).vendorCode).toBe(114);
  });

  it('says where every catalogue code comes from', () => {
    const withCode = Object.entries(ERROR_CATALOGUE).filter(([, entry]) => 'code' in entry);
    expect(withCode.length).toBeGreaterThan(0);
    for (const [, entry] of withCode)
      expect(['documented', 'observed', 'inferred']).toContain((entry as { codeSource?: string }).codeSource);
    expect(ERROR_CATALOGUE.ERROR_MESSAGE).toMatchObject({ code: 112, codeSource: 'documented' });
  });

  it('turns unknown names into typed errors classified by status', () => {
    expect(vendorError({ name: 'ERROR_BRAND_NEW', upstreamStatus: 400 })).toBeInstanceOf(ThaiBulkSmsRequestError);
    expect(vendorError({ name: 'ERROR_BRAND_NEW', upstreamStatus: 403 })).toBeInstanceOf(ThaiBulkSmsAccountError);
    expect(vendorError({ name: 'ERROR_TOO_MANY_REQUESTS', upstreamStatus: 429 })).toBeInstanceOf(
      ThaiBulkSmsUpstreamError,
    );
    expect(vendorError({ name: 'ERROR_BRAND_NEW' }).errorName).toBe('ERROR_BRAND_NEW');
  });

  it('marks local errors and keeps a log-safe JSON view', () => {
    const error = localVendorError('ERROR_MSISDN', 'no valid number');
    expect(error.source).toBe('local');
    expect(error.message).toBe('no valid number');
    expect(error.description).toBe('MSISDN is invalid.');
    expect(JSON.parse(JSON.stringify(error))).toMatchObject({
      errorName: 'ERROR_MSISDN',
      category: 'caller',
      source: 'local',
    });
  });

  it('names the OTP errors', () => {
    expect(new OtpCodeInvalidError()).toMatchObject({ errorName: 'OTP_CODE_INVALID', category: 'caller' });
    expect(new OtpTokenExpiredError()).toMatchObject({ errorName: 'OTP_TOKEN_EXPIRED', category: 'caller' });
  });
});
