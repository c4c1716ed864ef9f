import { MAX_RESPONSE_BODY_BYTES } from '../thai-bulk-sms.constants';
import { AxiosThaiBulkSmsTransport } from './axios.transport';
import { describeTransportContract } from './transport-contract.test-util';

// The default transport on the shared contract (deadline, caller's signal, error mapping, body
// cap, shutdown).
describeTransportContract('AxiosThaiBulkSmsTransport', {
  create: () => new AxiosThaiBulkSmsTransport(),
  maxResponseBytes: MAX_RESPONSE_BODY_BYTES,
});
