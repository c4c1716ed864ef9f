import { ThaiBulkSmsRequestError } from '../errors';
import { bulkRecipientSource, NO_RECIPIENT_MESSAGE, NO_VALID_NUMBER_MESSAGE, validateRecipients } from './recipients';

/**
 * The messages reach the caller through the filter, and the caller's field is rarely `to` (an app's
 * `phone`, `mobile`…): they speak of the recipients and never name `to`.
 */
describe('recipient errors name the recipients, not the `to` option', () => {
  const refusal = (run: () => unknown): ThaiBulkSmsRequestError => {
    try {
      run();
    } catch (error) {
      return error as ThaiBulkSmsRequestError;
    }
    throw new Error('not refused');
  };

  it.each([
    ['no valid number', () => validateRecipients('12345'), NO_VALID_NUMBER_MESSAGE],
    ['no number at all', () => validateRecipients([]), NO_RECIPIENT_MESSAGE],
    [
      'not a number or a list',
      () => validateRecipients({ phone: '0812345678' }),
      expect.stringMatching(/^The recipients/),
    ],
    ['not iterable', () => bulkRecipientSource(42), expect.stringMatching(/^The recipients/)],
  ])('%s: ERROR_MSISDN, nothing about `to`', (_label, run, message) => {
    const error = refusal(run);
    expect(error).toMatchObject({ errorName: 'ERROR_MSISDN', message });
    expect(error.message).not.toMatch(/\bto\b/);
  });
});
