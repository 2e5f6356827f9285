import type { HttpResponseInit } from '@azure/functions';
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import { HttpError } from '../errors/HttpError.js';
import { ensureError } from '../errors/ensureError.js';
import { redactSecrets } from '../errors/redactSecrets.js';

/** The ARM error envelope. */
export interface ArmErrorBody {
  error: { code: string; message: string; target?: string; details?: Array<{ code: string; message: string; target?: string }> };
}

/** Where unexpected errors are logged (an `InvocationContext` fits). */
export interface ErrorLogger {
  error(...args: unknown[]): void;
}

/**
 * Maps any thrown value to an HTTP response in the ARM error envelope: `HttpError` as given,
 * a lost conditional write (`ConcurrencyError`) as 409, anything else as 500 with a generic
 * message, logged (secrets redacted).
 */
export function toErrorResponse(thrown: unknown, logger?: ErrorLogger): HttpResponseInit {
  if (thrown instanceof HttpError) {
    const body: ArmErrorBody = { error: { code: thrown.code, message: thrown.message } };
    if (thrown.target !== undefined) body.error.target = thrown.target;
    if (thrown.details?.length) body.error.details = thrown.details;
    return { status: thrown.status, jsonBody: body };
  }
  if (thrown instanceof ConcurrencyError) {
    return {
      status: 409,
      jsonBody: { error: { code: 'Conflict', message: 'The resource was changed by another request; retry the operation.' } },
    };
  }
  const error = ensureError(thrown);
  logger?.error(redactSecrets(`${error.name}: ${error.message}\n${error.stack ?? ''}`));
  return {
    status: 500,
    jsonBody: { error: { code: 'InternalServerError', message: 'The server encountered an internal error. Retry the request later.' } },
  };
}
