/**
 * Completion replies: a command sent with `notify: "completion"` that started an operation (202)
 * is watched by a message on `site-recovery-command-watches` that reads the operation's status
 * through the API (the `Azure-AsyncOperation` the 202 named) and comes back later until it is
 * terminal; then the completion is replied, once per `requestId`.
 */
import { invocationLogger } from '../logging/invocationLogger.js';
import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import type { Deps } from '../deps.js';
import type { ArmRouter } from './armRouter.js';
import type { CommandReply } from './commandReplies.js';
import { createCommandRecords } from './commandRecords.js';
import { invokeArm } from './invokeArm.js';

export const COMMAND_WATCHES_QUEUE = 'site-recovery-command-watches';

export const commandWatchSchema = z.object({
  requestId: z.string().min(1),
  replyTo: z.string().min(3),
  /** The operation status's path from `/subscriptions/` with its query. */
  statusPath: z.string().startsWith('/subscriptions/'),
  apiVersion: z.string().min(1),
  attempt: z.number().int().nonnegative(),
});

export type CommandWatch = z.infer<typeof commandWatchSchema>;

/** Seconds before the next look at an operation still running: 1, 2, 4, then every 5. */
export function watchDelaySeconds(attempt: number): number {
  return Math.min(5, 2 ** attempt);
}

/** The watch of a 202's operation, from its `Azure-AsyncOperation` URL. */
export function watchOf(requestId: string, replyTo: string, apiVersion: string, asyncOperationUrl: string): CommandWatch | undefined {
  const url = new URL(asyncOperationUrl);
  const at = url.pathname.toLowerCase().indexOf('/subscriptions/');
  if (at < 0) return undefined;
  return { requestId, replyTo, statusPath: url.pathname.slice(at) + url.search, apiVersion, attempt: 0 };
}

const TERMINAL: Record<string, CommandReply['state']> = { succeeded: 'Succeeded', failed: 'Failed', canceled: 'Cancelled', cancelled: 'Cancelled' };

/** Looks at a watched operation: replies its completion when it has ended, else watches again later. */
export async function checkCommandWatch(deps: Deps, router: ArmRouter, message: unknown, context: InvocationContext): Promise<void> {
  const parsed = commandWatchSchema.safeParse(message);
  if (!parsed.success) {
    invocationLogger(context).warn('Dropped a malformed command-watch message.');
    return;
  }
  const watch = parsed.data;
  const records = createCommandRecords(deps.plane.repository);
  if (await records.completed(watch.requestId)) return;
  const { publicUrl } = deps.config.automation;
  const path = watch.statusPath.split('?')[0] ?? watch.statusPath;
  const status = await invokeArm(router, publicUrl, { method: 'GET', path, apiVersion: watch.apiVersion, requestId: watch.requestId }, context);
  const value = (status?.body as { status?: unknown; name?: unknown } | undefined) ?? {};
  const state = typeof value.status === 'string' ? TERMINAL[value.status.toLowerCase()] : undefined;
  if (status?.status === 200 && !state) {
    await deps.queues.sendLater(COMMAND_WATCHES_QUEUE, { ...watch, attempt: watch.attempt + 1 }, watchDelaySeconds(watch.attempt + 1));
    return;
  }
  // The job behind a Site Recovery operation status, for its tasks and errors.
  const jobPath = /\/replicationOperationStatus\/[^/.]+$/i.test(path) && typeof value.name === 'string' ? path.replace(/\/replicationOperationStatus\/[^/]+$/i, `/replicationJobs/${value.name}`) : undefined;
  const job = jobPath ? await invokeArm(router, publicUrl, { method: 'GET', path: jobPath, apiVersion: watch.apiVersion, requestId: watch.requestId }, context) : undefined;
  const reply: CommandReply = {
    requestId: watch.requestId,
    kind: 'completion',
    status: status?.status ?? 404,
    headers: {},
    ...(status?.body === undefined ? {} : { body: status.body }),
    ...(state ? { state } : {}),
    ...(job?.status === 200 ? { job: job.body } : {}),
  };
  await deps.queues.send(watch.replyTo, reply);
  await records.markCompleted(watch.requestId);
}
