import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';
import type { Request } from 'express';
import { Observable } from 'rxjs';

/**
 * Names the HTTP server span after the route template (`POST /sms`, `POST
 * /webhooks/thaibulksms/:token`) and sets `http.route`, as the Express instrumentation would:
 * the HTTP instrumentation reads the route from its RPC metadata when the response ends.
 */
@Injectable()
export class HttpRouteInterceptor implements NestInterceptor {
  intercept(execution: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (execution.getType() === 'http') {
      const route: unknown = execution.switchToHttp().getRequest<Request>().route;
      const path = typeof route === 'object' && route !== null ? (route as { path?: unknown }).path : undefined;
      const metadata = getRPCMetadata(context.active());
      if (typeof path === 'string' && metadata?.type === RPCType.HTTP) metadata.route = path;
    }
    return next.handle();
  }
}
