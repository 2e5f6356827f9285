import { HttpError } from '../errors/HttpError.js';

/** 405 for a method a route does not serve in this form (e.g. PUT without a name). */
export function methodNotAllowed(method: string): HttpError {
  return new HttpError(405, 'MethodNotAllowed', `The method ${method} is not allowed on this resource.`);
}
