import fc from 'fast-check';
import { maskPhone } from '../phone';
import { describeRequest } from './request-description';

describe('describeRequest (the debug line of a request)', () => {
  it('masks the first number exactly as maskPhone does, and counts the rest', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^66\d{9}$/), { minLength: 1, maxLength: 5 }), (numbers) => {
        const first = maskPhone(numbers[0]);
        const expected = numbers.length === 1 ? `[${first}]` : `[${numbers.length} numbers: ${first}, ...]`;
        expect(describeRequest({ method: 'POST', path: '/sms', numbers: numbers.join(',') })).toBe(
          `POST /sms ${expected}`,
        );
      }),
    );
  });

  it('masks a number in another form through maskPhone, and names a request without numbers', () => {
    expect(describeRequest({ method: 'POST', path: '/v2/otp/request', numbers: '0812345678' })).toBe(
      `POST /v2/otp/request [${maskPhone('0812345678')}]`,
    );
    expect(describeRequest({ method: 'GET', path: '/credit' })).toBe('GET /credit');
  });
});
