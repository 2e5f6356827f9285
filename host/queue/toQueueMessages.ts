/**
 * Turns one output binding value (RPC typed data, as the library returned it) into queue message
 * texts: an array becomes one message per element, an object becomes JSON text, a string stays as is.
 */
import type { RpcTypedData } from '../core/types.js';

const elementText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Message texts for one output value; empty when the value is empty or null. */
export function toQueueMessages(data: RpcTypedData | null | undefined): string[] {
  if (!data) return [];
  if (typeof data.string === 'string') return [data.string];
  if (typeof data.json === 'string') {
    const value: unknown = JSON.parse(data.json);
    if (value === null) return [];
    return Array.isArray(value) ? value.filter((v) => v !== null && v !== undefined).map(elementText) : [data.json];
  }
  const bytes = data.bytes ?? data.stream;
  if (bytes) return [Buffer.from(bytes).toString('utf8')];
  if (typeof data.int === 'number') return [String(data.int)];
  if (typeof data.double === 'number') return [String(data.double)];
  if (data.collectionString?.string) return [...data.collectionString.string];
  if (data.collectionBytes?.bytes) return data.collectionBytes.bytes.map((b) => Buffer.from(b).toString('utf8'));
  if (data.collectionDouble?.double) return data.collectionDouble.double.map(String);
  if (data.collectionSint64?.sint64) return data.collectionSint64.sint64.map(String);
  return [];
}
