import { validateSync } from 'class-validator';
import { IsThaiMobile } from './is-thai-mobile.decorator';

class Body {
  @IsThaiMobile()
  phone!: unknown;
}

const errorsFor = (phone: unknown) => {
  const body = new Body();
  body.phone = phone;
  return validateSync(body).length;
};

describe('IsThaiMobile', () => {
  it.each(['0812345678', '66812345678', '+66812345678', '081-234-5678'])('accepts %s', (phone) => {
    expect(errorsFor(phone)).toBe(0);
  });

  it.each([
    812345678,
    -922517182,
    66812345678,
    null,
    undefined,
    ['0812345678'],
    { phone: '0812345678' },
    '021234567',
    'abc',
    '',
  ])('refuses %p (only strings holding a Thai mobile)', (phone) => {
    expect(errorsFor(phone)).toBe(1);
  });
});
