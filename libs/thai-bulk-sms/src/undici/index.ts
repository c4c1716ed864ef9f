// nestjs-thaibulksms/undici: a transport on undici, for lower CPU per request and lower latency.
// Needs the optional peer undici (7.x); apps that keep the default transport never load it.
export { UndiciThaiBulkSmsTransport } from './undici.transport';
