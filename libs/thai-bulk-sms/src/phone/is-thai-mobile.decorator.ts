import { registerDecorator, ValidationOptions } from 'class-validator';
import { isThaiMobile } from './thai-phone';

/**
 * class-validator decorator: a Thai mobile number in any accepted form, as a string. A JSON number
 * is refused (fuzzing found `{"phone": -922517182}` accepted as 0922517182 and an OTP sent), the
 * same as `to` of a send; `parseThaiMobile` itself stays lenient for numbers read from files.
 */
export function IsThaiMobile(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isThaiMobile',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: `$property must be a Thai mobile number (0812345678, 66812345678 or +66812345678)`,
        ...options,
      },
      validator: { validate: (value: unknown) => typeof value === 'string' && isThaiMobile(value) },
    });
}
