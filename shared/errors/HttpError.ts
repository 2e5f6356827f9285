/** One detail entry of an ARM error envelope. */
export interface HttpErrorDetail {
  code: string;
  message: string;
  target?: string;
}

/**
 * An error that becomes an HTTP response in the ARM error envelope
 * (`{ error: { code, message, target?, details? } }`); mapped in one place by `toErrorResponse`.
 * Thrown only on the request path (admission, queries): the request fails and nothing is written.
 */
export class HttpError extends Error {
  override readonly name = 'HttpError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: HttpErrorDetail[],
    readonly target?: string,
  ) {
    super(message);
  }
}
