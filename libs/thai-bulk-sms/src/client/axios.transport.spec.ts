import { AxiosThaiBulkSmsTransport } from './axios.transport';
import { describeTransportContract } from './transport-contract.test-util';

// The default transport on the shared contract (deadline, caller's signal, error mapping,
// shutdown). Its body cap comes with the response-size limit of the axios transport.
describeTransportContract('AxiosThaiBulkSmsTransport', { create: () => new AxiosThaiBulkSmsTransport() });
