import { HttpError } from '../errors/HttpError.js';

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Checks an ARM resource name (letters, digits, `-`, `_`, `.`; 1–`maxLength` chars) and returns it;
 * anything else (quote, slash, percent, space, control characters…) is a 400 naming the field.
 */
export function validateName(field: string, value: string | undefined | null, maxLength = 90): string {
  if (value === undefined || value === null || value === '') {
    throw new HttpError(400, 'InvalidResourceName', `The ${field} is required.`, undefined, field);
  }
  if (value.length > maxLength) {
    throw new HttpError(400, 'InvalidResourceName', `The ${field} is longer than ${maxLength} characters.`, undefined, field);
  }
  if (!NAME.test(value)) {
    throw new HttpError(
      400,
      'InvalidResourceName',
      `The ${field} ${JSON.stringify(value)} is invalid: use only letters, digits, '-', '_' and '.'.`,
      undefined,
      field,
    );
  }
  return value;
}
