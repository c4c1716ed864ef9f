import { ServerResponse } from 'node:http';
import { TakenFault } from './fault.injector';
import {
  html502Response,
  malformedJsonResponse,
  otpErrorResponse,
  SandboxResponse,
  vendorErrorResponse,
} from './sandbox.response';

/** Timers the writer starts, so closing the sandbox can cancel them. */
export interface TimerRegistry {
  later(ms: number, fn: () => void): void;
}

export function writeResponse(res: ServerResponse, response: SandboxResponse): void {
  res.writeHead(response.status, {
    'content-type': response.contentType,
    'content-length': Buffer.byteLength(response.body),
  });
  res.end(response.body);
}

/**
 * Answers with the fault in place of (or around) the normal answer. `normal` is undefined when
 * the fault's plan said not to handle the request. Returns the answer written (or about to be,
 * for `slow`/`trickle`), undefined when none is (`hang`, `drop`), so the request log can say.
 */
export function writeWithFault(
  res: ServerResponse,
  taken: TakenFault,
  normal: SandboxResponse | undefined,
  timers: TimerRegistry,
): SandboxResponse | undefined {
  const { fault } = taken;
  const now = (response: SandboxResponse) => {
    writeResponse(res, response);
    return response;
  };
  switch (fault.kind) {
    case 'vendor-error':
      return now(vendorErrorResponse(fault.name, fault.status));
    case 'otp-error':
      return now(otpErrorResponse(fault.message, fault.status));
    case 'html-502':
      return now(html502Response());
    case 'malformed-json':
      return now(malformedJsonResponse(normal));
    case 'hang':
      // Never answers; close() destroys the socket.
      return undefined;
    case 'drop':
      res.socket?.destroy();
      return undefined;
    case 'slow': {
      const late = normal ?? vendorErrorResponse('ERROR_SYSTEM_FAILURE');
      timers.later(fault.delayMs, () => writeResponse(res, late));
      return late;
    }
    case 'trickle': {
      const slowly = normal ?? vendorErrorResponse('ERROR_SYSTEM_FAILURE');
      trickle(res, slowly, fault.chunkDelayMs, fault.chunkBytes ?? 16, timers);
      return slowly;
    }
  }
}

/** Headers at once, then the body a few bytes at a time: a client must time out on the body too. */
function trickle(
  res: ServerResponse,
  response: SandboxResponse,
  delayMs: number,
  chunkBytes: number,
  timers: TimerRegistry,
): void {
  const body = Buffer.from(response.body);
  res.writeHead(response.status, { 'content-type': response.contentType, 'content-length': body.length });
  res.flushHeaders();
  const size = Math.max(1, Math.floor(chunkBytes));
  let offset = 0;
  const step = () => {
    if (res.destroyed) return;
    const end = Math.min(body.length, offset + size);
    const chunk = body.subarray(offset, end);
    offset = end;
    if (offset >= body.length) res.end(chunk);
    else {
      res.write(chunk);
      timers.later(delayMs, step);
    }
  };
  timers.later(delayMs, step);
}
