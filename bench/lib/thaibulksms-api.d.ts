// The peer client has no types of its own; what the bench uses of it.
declare module 'thaibulksms-api' {
  interface PeerSmsClient {
    sendSMS(body: Record<string, string>): Promise<{ phone_number_list: unknown[] }>;
  }
  interface PeerOptions {
    apiKey: string;
    apiSecret: string;
    /** Base URL of the API (default the vendor's). */
    api?: string;
  }
  export function sms(options: PeerOptions): PeerSmsClient;
}
