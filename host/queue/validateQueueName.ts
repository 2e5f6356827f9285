/**
 * Resolves a queue binding's `queueName` the way the Storage extension does: `%setting%` expanded,
 * lower-cased, then validated (3–63 characters of `[a-z0-9-]`, starting and ending with a letter
 * or digit, no consecutive dashes).
 */
import { resolveSetting } from '../core/settings.js';

const validName = /^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;

/** Returns the resolved, lower-cased queue name; throws a `RangeError` naming the binding value when invalid. */
export function validateQueueName(queueName: unknown, env: NodeJS.ProcessEnv = process.env): string {
  if (typeof queueName !== 'string' || queueName === '') throw new RangeError('A queue binding needs a queueName.');
  const name = resolveSetting(queueName, env).toLowerCase();
  if (!validName.test(name)) {
    throw new RangeError(
      `Invalid queue name '${name}' (from '${queueName}'): 3-63 characters of a-z, 0-9 and '-', ` +
        `starting and ending with a letter or digit, without consecutive dashes.`,
    );
  }
  return name;
}
