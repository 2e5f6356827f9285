import type { z } from 'zod';
import { HttpError } from '../errors/HttpError.js';

/**
 * Validates a request body (or part of one) with a zod schema; the first problem becomes a 400
 * `InvalidParameter` whose message and target name the field (`root.path.to.field`).
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, root = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues;
  const details = issues.map((issue) => {
    const field = [root, ...issue.path.map(String)].filter(Boolean).join('.') || 'body';
    return { code: 'InvalidParameter', message: `Invalid value for '${field}': ${issue.message}`, target: field };
  });
  const first = details[0] ?? { code: 'InvalidParameter', message: 'The request body is invalid.', target: root || 'body' };
  throw new HttpError(400, 'InvalidParameter', first.message, details.length > 1 ? details : undefined, first.target);
}
