import { BoundedHistory } from './bounded.history';
import { BodyFields } from './request-body.parser';
import { SandboxResponse } from './sandbox.response';
import { SandboxFaultKind, SandboxRequest } from './sandbox.types';

/**
 * Body fields that carry credentials: the OTP product takes its application key and secret in the
 * body (docs/vendor-api.md, "OTP"). The SMS API's ride in the Authorization header, which is never logged.
 */
const CREDENTIAL_FIELDS: readonly string[] = Object.freeze(['key', 'secret']);

export interface RequestArrival {
  readonly path: string;
  readonly method: string;
  readonly receivedAt: number;
}

/**
 * Every API request and what became of it, newest `limit` kept: requests that never reach a
 * handler (faults, the TPS limit) would otherwise show only as counts.
 */
export class RequestLog {
  private readonly history: BoundedHistory<SandboxRequest>;

  constructor(limit: number) {
    this.history = new BoundedHistory(limit);
  }

  record(
    arrival: RequestArrival,
    fields: BodyFields | undefined,
    answer: SandboxResponse | undefined,
    fault?: SandboxFaultKind,
  ): void {
    this.history.push({
      path: arrival.path,
      method: arrival.method,
      receivedAt: arrival.receivedAt,
      fields: fields === undefined ? undefined : withoutCredentials(fields),
      fault,
      status: answer?.status,
      error: answer?.errorName,
    });
  }

  /** Oldest first. */
  toArray(): SandboxRequest[] {
    return this.history.toArray();
  }

  clear(): void {
    this.history.clear();
  }
}

/** The fields as they are when they hold no credential (the usual case, so no copy), else a copy without. */
export function withoutCredentials(fields: BodyFields): BodyFields {
  let found = false;
  for (const name of CREDENTIAL_FIELDS) if (Object.prototype.hasOwnProperty.call(fields, name)) found = true;
  if (!found) return fields;
  const copy: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(fields)) if (!CREDENTIAL_FIELDS.includes(name)) copy[name] = value;
  return copy;
}
