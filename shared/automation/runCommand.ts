/**
 * Runs one message of `site-recovery-commands`: the envelope's ARM request goes through the very
 * function that serves it over HTTP; the answer is recorded under its `requestId` and replied to
 * `replyTo`. The same `requestId` again gets the recorded answer and runs nothing (and item and
 * plan operations also meet their client request id at admission, should a crash come between the
 * job and the record). A message that is no command goes to the poison queue at once, with the
 * reason logged, published as an event and replied when it names where.
 */
import { invocationLogger } from '../logging/invocationLogger.js';
import type { InvocationContext } from '@azure/functions';
import { unservedPath } from '../arm/unservedPath.js';
import { toErrorResponse } from '../arm/toErrorResponse.js';
import type { Deps } from '../deps.js';
import type { ArmRouter } from './armRouter.js';
import { COMMANDS_POISON_QUEUE, parseCommandEnvelope, type CommandEnvelope } from './commandEnvelope.js';
import { commandFingerprint, createCommandRecords } from './commandRecords.js';
import type { CommandReply } from './commandReplies.js';
import { COMMAND_WATCHES_QUEUE, watchOf } from './completionWatch.js';
import { invokeArm, type ArmAnswer } from './invokeArm.js';
import { isRefusedCommand, recordRefusal } from './refusalEvents.js';

/** Why a message was not run as a command. */
export interface PoisonedCommand {
  reason: string;
  status: number;
  body: unknown;
}

async function poison(deps: Deps, message: unknown, refused: PoisonedCommand, reply: { requestId?: string; replyTo?: string }, context: InvocationContext): Promise<void> {
  invocationLogger(context).with({ clientRequestId: reply.requestId }).warn(`Moved a message of the command queue to ${COMMANDS_POISON_QUEUE}: ${refused.reason}`);
  await deps.queues.send(COMMANDS_POISON_QUEUE, message);
  await deps.plane.events.publishUnscoped({
    eventType: 'CommandRefused',
    severity: 'Warning',
    description: 'A message of the command queue is not a command',
    details: { via: 'queue', reason: refused.reason, ...(reply.requestId ? { requestId: reply.requestId } : {}) },
    healthErrors: [{ errorCode: 'InvalidCommand', errorMessage: refused.reason }],
  });
  if (reply.replyTo) {
    const answer: CommandReply = { requestId: reply.requestId ?? '', kind: 'response', status: refused.status, headers: {}, body: refused.body };
    await deps.queues.send(reply.replyTo, answer);
  }
}

function pathOf(envelope: CommandEnvelope): string {
  return envelope.path.split('?')[0] ?? envelope.path;
}

export async function runCommand(deps: Deps, router: ArmRouter, message: unknown, context: InvocationContext): Promise<void> {
  const parsed = parseCommandEnvelope(message);
  if (!parsed.ok) {
    const body = { error: { code: 'InvalidCommand', message: parsed.reason } };
    await poison(deps, message, { reason: parsed.reason, status: 400, body }, parsed, context);
    return;
  }
  const envelope = parsed.envelope;
  const records = createCommandRecords(deps.plane.repository);
  const fingerprint = commandFingerprint(envelope);
  const earlier = await records.get(envelope.requestId);
  if (earlier) {
    const reply: CommandReply =
      earlier.fingerprint === fingerprint
        ? earlier.reply
        : {
            requestId: envelope.requestId,
            kind: 'response',
            status: 409,
            headers: {},
            body: { error: { code: 'RequestIdReused', message: `requestId '${envelope.requestId}' was already used for another command; give each command its own.` } },
          };
    if (envelope.replyTo) await deps.queues.send(envelope.replyTo, reply);
    return;
  }
  const answer: ArmAnswer | undefined = await invokeArm(
    router,
    deps.config.automation.publicUrl,
    { method: envelope.method, path: envelope.path, apiVersion: envelope.apiVersion, body: envelope.body, requestId: envelope.requestId },
    context,
  );
  if (!answer) {
    const error = toErrorResponse(unservedPath(envelope.method, pathOf(envelope).replace(/^\/+/, '')));
    const reason = `The API serves no ${envelope.method} ${pathOf(envelope)}.`;
    await poison(deps, message, { reason, status: error.status ?? 404, body: error.jsonBody }, envelope, context);
    return;
  }
  const reply: CommandReply = { requestId: envelope.requestId, kind: 'response', ...answer };
  if (answer.status === 202 && envelope.notify === 'completion' && envelope.replyTo) {
    const statusUrl = answer.headers['azure-asyncoperation'];
    const watch = statusUrl ? watchOf(envelope.requestId, envelope.replyTo, envelope.apiVersion, statusUrl) : undefined;
    if (watch) await deps.queues.sendLater(COMMAND_WATCHES_QUEUE, watch, 1);
  }
  if (envelope.method !== 'GET') await records.save(envelope.requestId, { fingerprint, reply, at: new Date().toISOString() });
  if (isRefusedCommand(envelope.method, answer.status)) {
    await recordRefusal(deps.plane, { method: envelope.method, path: pathOf(envelope), status: answer.status, body: answer.body, via: 'queue', requestId: envelope.requestId });
  }
  if (envelope.replyTo) await deps.queues.send(envelope.replyTo, reply);
}
