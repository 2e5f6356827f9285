/** Queue message encoding, output values and polling back-off (pure, no storage). */
import { describe, expect, it } from 'vitest';
import { createRandomizedBackoff } from '../../../host/queue/createRandomizedBackoff.js';
import { decodeQueueMessage, encodeQueueMessage } from '../../../host/queue/queueMessageEncoding.js';
import { toQueueMessages } from '../../../host/queue/toQueueMessages.js';
import { validateQueueName } from '../../../host/queue/validateQueueName.js';

describe('queue message encoding', () => {
  it('round-trips UTF-8 text through base64, and passes text as is with none', () => {
    const text = '{"name":"grüße ✓"}';
    const wire = encodeQueueMessage(text, 'base64');
    expect(wire).toBe(Buffer.from(text, 'utf8').toString('base64'));
    expect(decodeQueueMessage(wire, 'base64')).toBe(text);
    expect(encodeQueueMessage(text, 'none')).toBe(text);
    expect(decodeQueueMessage(text, 'none')).toBe(text);
  });

  it('rejects text that is not base64', () => {
    expect(decodeQueueMessage('not base64!', 'base64')).toBeUndefined();
    expect(decodeQueueMessage('abc', 'base64')).toBeUndefined();
  });
});

describe('queue output values', () => {
  it('turns arrays into one message per element, objects into JSON, strings and numbers into text', () => {
    expect(toQueueMessages({ json: '["a",{"b":1},3]' })).toEqual(['a', '{"b":1}', '3']);
    expect(toQueueMessages({ json: '{"b":1}' })).toEqual(['{"b":1}']);
    expect(toQueueMessages({ string: 'plain' })).toEqual(['plain']);
    expect(toQueueMessages({ int: 42 })).toEqual(['42']);
    expect(toQueueMessages({ bytes: Buffer.from('raw') })).toEqual(['raw']);
    expect(toQueueMessages({ collectionString: { string: ['x', 'y'] } })).toEqual(['x', 'y']);
    expect(toQueueMessages(undefined)).toEqual([]);
  });
});

describe('queue names', () => {
  it('resolves %settings%, lower-cases and validates', () => {
    expect(validateQueueName('%Q%', { Q: 'Orders-In' })).toBe('orders-in');
    for (const bad of ['ab', '-abc', 'abc-', 'a--b', 'a_b', 'x'.repeat(64)]) expect(() => validateQueueName(bad, {})).toThrow(RangeError);
    expect(() => validateQueueName('%MISSING%', {})).toThrow(/MISSING/);
  });
});

describe('polling back-off', () => {
  it('grows exponentially with jitter from 100 ms, caps at the maximum, and resets on a hit', () => {
    const backoff = createRandomizedBackoff({ minMs: 100, maxMs: 2000, random: () => 0.5 });
    expect([backoff.failed(), backoff.failed(), backoff.failed(), backoff.failed(), backoff.failed(), backoff.failed()]).toEqual([
      200, 300, 500, 900, 1700, 2000,
    ]);
    expect(backoff.failed()).toBe(2000);
    expect(backoff.succeeded()).toBe(100);
    expect(backoff.failed()).toBe(200);
  });
});
