/**
 * What the CLI exits with: 0 when the command (and the job it followed) succeeded, 1 when the
 * service refused it or its job failed, 2 for a usage error (the offending flag named).
 */
import { isRestError } from '@azure/core-rest-pipeline';

export const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** A command line the CLI cannot act on. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A followed job that ended in a state other than Succeeded; the message holds its errors. */
export class JobFailedError extends Error {
  override readonly name = 'JobFailedError';
}

/** Ctrl-C while a job was followed: the job goes on. */
export class WatchInterrupted extends Error {
  override readonly name = 'WatchInterrupted';
}

/** The text and exit code of an error a command threw. */
export function describeFailure(error: unknown): { text: string; exitCode: number } {
  if (error instanceof UsageError) return { text: `error: ${error.message}`, exitCode: EXIT.usage };
  if (error instanceof WatchInterrupted) return { text: error.message, exitCode: EXIT.interrupted };
  if (error instanceof JobFailedError) return { text: error.message, exitCode: EXIT.failed };
  if (isRestError(error)) {
    const code = error.code ?? (error.statusCode ? `HTTP ${error.statusCode}` : 'RequestFailed');
    const unreachable = error.statusCode === undefined && /ECONNREFUSED|ENOTFOUND|fetch failed/i.test(error.message);
    const hint = unreachable ? '\nIs the service running? Set --endpoint, SR_ENDPOINT or `sr config set endpoint <url>`.' : '';
    return { text: `ERROR: (${code}) ${error.message}${hint}`, exitCode: EXIT.failed };
  }
  return { text: `ERROR: ${error instanceof Error ? error.message : String(error)}`, exitCode: EXIT.failed };
}
