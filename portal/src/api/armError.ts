/**
 * An answer of the API that is not a success, as the page shows it: the ARM error envelope's
 * `error.code` and `error.message` (`{ "error": { "code", "message", "details"? } }`) and the status.
 */
export class ArmError extends Error {
  override readonly name = 'ArmError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ReadonlyArray<{ code: string; message: string }> = [],
  ) {
    super(message);
  }
}

interface ErrorEnvelope {
  error?: { code?: unknown; message?: unknown; details?: unknown };
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

function detailsOf(value: unknown): Array<{ code: string; message: string }> {
  if (!Array.isArray(value)) return [];
  return value.filter(isObject).map((detail) => ({ code: typeof detail.code === 'string' ? detail.code : '', message: typeof detail.message === 'string' ? detail.message : '' }));
}

/** The error an unsuccessful response stands for, read from its body when it is the ARM envelope. */
export function armErrorOf(status: number, statusText: string, body: unknown): ArmError {
  const envelope: ErrorEnvelope = isObject(body) ? body : {};
  const error = envelope.error;
  if (isObject(error) && typeof error.message === 'string') {
    return new ArmError(status, typeof error.code === 'string' ? error.code : `Http${status}`, error.message, detailsOf(error.details));
  }
  return new ArmError(status, `Http${status}`, `The service answered ${status}${statusText ? ` ${statusText}` : ''} without an error message.`);
}

/** The words an error is shown in: `Code: message` for API errors, the message otherwise. */
export function describeError(error: unknown): string {
  if (error instanceof ArmError) {
    const details = error.details.map((detail) => ` ${detail.code}: ${detail.message}`).join('');
    return `${error.code}: ${error.message}${details}`;
  }
  if (error instanceof TypeError) return `The service could not be reached (${error.message}).`;
  if (error instanceof Error) return error.message;
  return String(error);
}
