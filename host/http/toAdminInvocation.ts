/**
 * The invocation request `POST /admin/functions/{name}` `{"input": "…"}` makes for a non-HTTP
 * function: a queue trigger gets the text as `{string}` with the queue trigger metadata of a fresh
 * message, a timer trigger the TimerInfo JSON, any other trigger the text as `{string}`.
 */
import { randomUUID } from 'node:crypto';
import type { RegisteredFunction, RpcParameterBinding, RpcTypedData } from '../core/types.js';

const json = (value: unknown): RpcTypedData => ({ json: JSON.stringify(value) });

export function toAdminInvocation(
  fn: RegisteredFunction,
  input: string,
): { inputData: RpcParameterBinding[]; triggerMetadata: Record<string, RpcTypedData> } {
  const type = (fn.trigger.binding.type ?? '').toLowerCase();
  const now = new Date();
  if (type === 'timertrigger') {
    const timerInfo = { Schedule: { AdjustForDST: true }, ScheduleStatus: null, IsPastDue: false };
    return { inputData: [{ name: fn.trigger.name, data: { json: JSON.stringify(timerInfo) } }], triggerMetadata: {} };
  }
  const triggerMetadata: Record<string, RpcTypedData> = {};
  if (type === 'queuetrigger') {
    const expires = new Date(now.getTime() + 7 * 24 * 3600_000);
    Object.assign(triggerMetadata, {
      QueueTrigger: { string: input },
      DequeueCount: json(1),
      ExpirationTime: json(expires.toISOString()),
      InsertionTime: json(now.toISOString()),
      NextVisibleTime: json(now.toISOString()),
      Id: { string: randomUUID() },
      PopReceipt: { string: '' },
    });
  }
  triggerMetadata.sys = json({ MethodName: fn.name, UtcNow: now.toISOString(), RandGuid: randomUUID() });
  return { inputData: [{ name: fn.trigger.name, data: { string: input } }], triggerMetadata };
}
