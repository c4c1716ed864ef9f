import { IncomingMessage, ServerResponse } from 'node:http';
import { answerApi, isApiPath } from './api.router';
import { DeliveryReporter } from './delivery.reporter';
import { FaultInjector, TakenFault } from './fault.injector';
import { AdminResponse, answerAdmin, InboxSource, isAdminPath } from './inbox.handler';
import { parseBody, ParsedBody, readBody } from './request-body.parser';
import { RequestArrival, RequestLog } from './request.log';
import { TimerRegistry, writeResponse, writeWithFault } from './response.writer';
import { tooManyRequestsResponse, vendorErrorResponse } from './sandbox.response';
import { SandboxState } from './sandbox.state';

export interface PipelineParts {
  readonly state: SandboxState;
  readonly faults: FaultInjector;
  readonly reporter: DeliveryReporter;
  readonly log: RequestLog;
  readonly inbox: InboxSource;
}

/**
 * What happens to one request. An API request goes: count, TPS check, fault, body, method and
 * authentication, handler, and then into the request log whatever the outcome. Nothing else runs
 * per request: the sandbox sits under our benchmarks and must not be what they measure.
 */
export class RequestPipeline implements TimerRegistry {
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly parts: PipelineParts) {}

  handle(req: IncomingMessage, res: ServerResponse): void {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    if (!isApiPath(path)) return this.answerOwn(req, res, path, q < 0 ? '' : raw.slice(q + 1));
    const { state, faults, log } = this.parts;
    state.countRequest(path);
    const arrival: RequestArrival = { path, method: req.method ?? '', receivedAt: state.now() };
    const overLimit = state.rate.arrive();
    const fault = overLimit ? undefined : faults.take(path);
    readBody(req).then(
      (text) => this.answerApi(req, res, arrival, parseBody(text, req.headers['content-type']), overLimit, fault),
      () => {
        const answer = res.headersSent || res.destroyed ? undefined : vendorErrorResponse('ERROR_FORM');
        if (answer) writeResponse(res, answer);
        log.record(arrival, undefined, answer);
      },
    );
  }

  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  /** Drops answers still waiting (slow, trickle), for close(). */
  cancelTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private answerApi(
    req: IncomingMessage,
    res: ServerResponse,
    arrival: RequestArrival,
    body: ParsedBody,
    overLimit: boolean,
    fault: TakenFault | undefined,
  ): void {
    const { state, reporter, log } = this.parts;
    const fields = body.ok ? body.fields : undefined;
    if (overLimit) {
      const answer = tooManyRequestsResponse();
      writeResponse(res, answer);
      return log.record(arrival, fields, answer);
    }
    const handle = () => answerApi(state, req, arrival.path, body, (batch) => reporter.schedule(batch));
    if (!fault) {
      const answer = handle();
      writeResponse(res, answer);
      return log.record(arrival, fields, answer);
    }
    const normal =
      fault.process || fault.fault.kind === 'slow' || fault.fault.kind === 'trickle' ? handle() : undefined;
    log.record(arrival, fields, writeWithFault(res, fault, normal, this), fault.fault.kind);
  }

  /** The inbox page and the `/__sandbox/*` endpoints: neither counted, limited, faulted nor logged. */
  private answerOwn(req: IncomingMessage, res: ServerResponse, path: string, query: string): void {
    req.resume();
    const answer: AdminResponse = isAdminPath(path)
      ? answerAdmin(this.parts.inbox, req, path, query)
      : vendorErrorResponse('ERROR_NOT_FOUND');
    if (answer.csp !== undefined) res.setHeader('content-security-policy', answer.csp);
    writeResponse(res, answer);
  }
}
