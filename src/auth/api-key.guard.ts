import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { appConfig, ApplicationConfig } from '../config/namespaces/app.config';
import { ApiKeys } from './api-keys';
import { IS_PUBLIC } from './public.decorator';

/** Header the caller puts its key in. */
export const API_KEY_HEADER = 'x-api-key';

/**
 * Global guard: every route needs `x-api-key` matching one of APP_API_KEYS (compared as ApiKeys
 * does: constant time), unless it is marked `@Public()`.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly keys: ApiKeys;

  constructor(
    private readonly reflector: Reflector,
    @Inject(appConfig.KEY) app: ApplicationConfig,
  ) {
    this.keys = new ApiKeys(app);
  }

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic) return true;

    const header = context.switchToHttp().getRequest<Request>().headers[API_KEY_HEADER];
    if (this.keys.matches(header)) return true;
    throw new UnauthorizedException('A valid x-api-key header is required.');
  }
}
