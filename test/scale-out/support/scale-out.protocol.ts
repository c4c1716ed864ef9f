/** Messages between the scale-out specs and their child app instances (IPC). */
export type ScaleOutCommand =
  | { readonly cmd: 'enqueue'; readonly from: number; readonly count: number; readonly message?: string }
  | {
      readonly cmd: 'enqueue-dedupe';
      readonly keys: readonly string[];
      readonly recipients: readonly (readonly string[])[];
    }
  | { readonly cmd: 'close' };

export type ScaleOutReply =
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'completed' }
  | { readonly type: 'enqueued'; readonly count: number; readonly ms: number }
  | { readonly type: 'enqueued-dedupe'; readonly duplicates: number; readonly ids: readonly string[] }
  | { readonly type: 'closed' }
  | { readonly type: 'error'; readonly message: string };

/** The n-th test number, distinct for n < 10,000,000: 0810000000, 0810000001, … */
export function phoneNumber(n: number): string {
  return `08${String(10_000_000 + n)}`;
}
