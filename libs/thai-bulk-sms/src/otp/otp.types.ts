export interface OtpRequestResult {
  /** Pass this to `verify` with the PIN the user typed. */
  readonly token: string;
  /** The reference shown in the SMS, for the user to match. */
  readonly refno: string;
}

export interface OtpVerifyResult {
  readonly verified: true;
  readonly message: string;
}

export interface OtpCallOptions {
  readonly signal?: AbortSignal;
}
