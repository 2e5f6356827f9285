/** Queue message text encoding, as configured by host.json `extensions.queues.messageEncoding`. */
export type QueueMessageEncoding = 'base64' | 'none';

/** Encodes message text for the wire. */
export function encodeQueueMessage(text: string, encoding: QueueMessageEncoding): string {
  return encoding === 'base64' ? Buffer.from(text, 'utf8').toString('base64') : text;
}

const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * Decodes wire text to message text; `undefined` when the text is not valid base64
 * (the trigger then moves the message straight to the poison queue).
 */
export function decodeQueueMessage(wire: string, encoding: QueueMessageEncoding): string | undefined {
  if (encoding === 'none') return wire;
  const compact = wire.replace(/\s+/g, '');
  if (!base64.test(compact)) return undefined;
  return Buffer.from(compact, 'base64').toString('utf8');
}
