import { HttpException, HttpStatus } from '@nestjs/common';
import { ApiErrorBody } from '../common/api-error';

export const REDIS_UNAVAILABLE_MESSAGE = 'The service is temporarily unavailable; try again later.';

/**
 * A Redis command the app needs (an OTP limit, a token's attempts) failed: Redis is down,
 * unreachable or too slow. The route fails closed with 503, and nothing is sent meanwhile.
 */
export class RedisUnavailableError extends HttpException {
  constructor(
    /** What the app was doing, for the log: `otp-throttle`, `otp-token`… */
    readonly operation: string,
    cause: unknown,
  ) {
    const body: ApiErrorBody = {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      error: 'SERVICE_UNAVAILABLE',
      message: REDIS_UNAVAILABLE_MESSAGE,
    };
    super(body, HttpStatus.SERVICE_UNAVAILABLE, { cause });
    this.name = 'RedisUnavailableError';
  }
}

/** `work`, with any failure of it turned into a RedisUnavailableError for `operation`. */
export async function orRedisUnavailable<T>(operation: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw new RedisUnavailableError(operation, error);
  }
}
