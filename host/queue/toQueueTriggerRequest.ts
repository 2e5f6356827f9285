/**
 * The invocation request the host sends for one queue message: input `{string: text}` and the
 * binding data as trigger metadata (`QueueTrigger`, `DequeueCount`, `ExpirationTime`,
 * `InsertionTime`, `NextVisibleTime`, `Id`, `PopReceipt`, `sys`).
 */
import { randomUUID } from 'node:crypto';
import type { RpcParameterBinding, RpcTypedData } from '../core/types.js';

/** The parts of a received message the trigger exposes. */
export interface ReceivedQueueMessage {
  messageId: string;
  popReceipt: string;
  dequeueCount: number;
  insertedOn: Date;
  expiresOn: Date;
  nextVisibleOn: Date;
}

const jsonDate = (date: Date): RpcTypedData => ({ json: JSON.stringify(date.toISOString()) });

export function toQueueTriggerRequest(
  functionName: string,
  triggerName: string,
  message: ReceivedQueueMessage,
  text: string,
  now: Date = new Date(),
): { inputData: RpcParameterBinding[]; triggerMetadata: Record<string, RpcTypedData> } {
  return {
    inputData: [{ name: triggerName, data: { string: text } }],
    triggerMetadata: {
      QueueTrigger: { string: text },
      DequeueCount: { json: JSON.stringify(message.dequeueCount) },
      ExpirationTime: jsonDate(message.expiresOn),
      InsertionTime: jsonDate(message.insertedOn),
      NextVisibleTime: jsonDate(message.nextVisibleOn),
      Id: { string: message.messageId },
      PopReceipt: { string: message.popReceipt },
      sys: { json: JSON.stringify({ MethodName: functionName, UtcNow: now.toISOString(), RandGuid: randomUUID() }) },
    },
  };
}
