// nestjs-thaibulksms/transport: the wire, for replacing or wrapping it (a proxy, a recorder, a
// fake). Give the class as the `transport` extra of ThaiBulkSmsModule; the contract is on
// ThaiBulkSmsTransport, and docs/architecture.md, "Transport", says what the client relies on.
export { ThaiBulkSmsTransport } from './thai-bulk-sms.transport';
export type { TransportRequest, TransportResponse } from './thai-bulk-sms.transport';
export { AxiosThaiBulkSmsTransport } from './axios.transport';
export { MAX_RESPONSE_BODY_BYTES } from '../thai-bulk-sms.constants';
