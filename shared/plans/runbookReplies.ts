/**
 * Answers of runbook workers (`recovery-plan-action-replies`): `{ correlationId, status: 'Succeeded' |
 * 'Failed', message? }`, the `correlationId` copied from the action's message. The first answer is
 * kept; a malformed or unknown one is logged and dropped (a worker cannot fail a plan it was not asked by).
 */
import { ConcurrencyError } from '../errors/ConcurrencyError.js';
import type { ControlPlaneRepository } from '../repos/ControlPlaneRepository.js';
import { partitionOfCorrelationId, PLAN_ACTION_REPLY_ROW, planActionReplySchema } from './planActions.js';

export async function recordRunbookReply(repository: ControlPlaneRepository, message: unknown, log: { warn(...args: unknown[]): void }): Promise<void> {
  const parsed = planActionReplySchema.safeParse(message);
  const partition = parsed.success ? partitionOfCorrelationId(parsed.data.correlationId) : undefined;
  if (!parsed.success || !partition) {
    log.warn(`Dropped a runbook answer that is not { correlationId, status: 'Succeeded' | 'Failed', message? } with a correlation id the service issued.`);
    return;
  }
  try {
    await repository.create(partition, PLAN_ACTION_REPLY_ROW, parsed.data.correlationId, { ...parsed.data, receivedAt: new Date().toISOString() });
  } catch (error) {
    if (!(error instanceof ConcurrencyError)) throw error;
    log.warn(`Runbook answer for ${parsed.data.correlationId} came again; the first is kept.`);
  }
}
