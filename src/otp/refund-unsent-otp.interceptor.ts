import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { requestMayHaveArrived } from '@app/thai-bulk-sms';
import { catchError, from, mergeMap, Observable, throwError } from 'rxjs';
import { refundPhoneHits } from './otp-phone-hits';

/**
 * POST /otp/request: when the OTP provably never reached the vendor (connection refused, refused
 * locally), the phone's cooldown and daily cap get their hit back, so an outage on our side never
 * locks a user out. An OTP that may have gone out keeps counting.
 */
@Injectable()
export class RefundUnsentOtpInterceptor implements NestInterceptor {
  constructor(@InjectThrottlerStorage() private readonly storage: ThrottlerStorage) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<object>();
    return next
      .handle()
      .pipe(
        catchError((error: unknown) =>
          requestMayHaveArrived(error)
            ? throwError(() => error)
            : from(refundPhoneHits(this.storage, req)).pipe(mergeMap(() => throwError(() => error))),
        ),
      );
  }
}
