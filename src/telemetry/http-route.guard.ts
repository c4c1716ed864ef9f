import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { context } from '@opentelemetry/api';
import { getRPCMetadata, RPCType } from '@opentelemetry/core';

/**
 * Names the HTTP server span after the route template (`POST /sms`, `POST
 * /webhooks/thaibulksms/:token`) and sets `http.route` on it and on the request duration metric,
 * as the Express instrumentation would: the HTTP instrumentation reads the route from its RPC
 * metadata when the response ends. A guard that always lets the request through rather than an
 * interceptor: guards run once routing is done, and interceptors cost an async resource and an
 * observable chain per request. Requests refused by an earlier guard keep the method as name.
 */
@Injectable()
export class HttpRouteGuard implements CanActivate {
  canActivate(execution: ExecutionContext): boolean {
    if (execution.getType() !== 'http') return true;
    const route: unknown = execution.switchToHttp().getRequest<{ route?: unknown }>().route;
    const path = typeof route === 'object' && route !== null ? (route as { path?: unknown }).path : undefined;
    const metadata = getRPCMetadata(context.active());
    if (typeof path === 'string' && metadata?.type === RPCType.HTTP) metadata.route = path;
    return true;
  }
}
