/**
 * Storage's CRC64 (CRC-64/NVME) against its published check value and a bit-at-a-time reference;
 * Azurite's acceptance of it on a page write is checked in transactionalIntegrity.test.ts.
 */
import { randomBytes } from 'node:crypto';
import { expect, test } from 'vitest';
import { contentCrc64 } from '../../../shared/storage/contentCrc64.js';

/** CRC-64/NVME one bit at a time, as its definition reads. */
function reference(bytes: Uint8Array): bigint {
  const poly = 0x9a6c9329ac4bc9b5n;
  let crc = 0xffffffffffffffffn;
  for (const byte of bytes) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc ^ 0xffffffffffffffffn;
}

const value = (crc: Uint8Array): bigint => Buffer.from(crc).readBigUInt64LE(0);

test('the check value of "123456789" is 0xAE8B14860A799888, sent least significant byte first', () => {
  const crc = contentCrc64(Buffer.from('123456789'));
  expect(Buffer.from(crc).toString('hex')).toBe('8898790a86148bae');
  expect(value(crc)).toBe(0xae8b14860a799888n);
});

test('every length, whole eight-byte steps or not, matches the bit-at-a-time reference', () => {
  expect(value(contentCrc64(new Uint8Array(0)))).toBe(0n);
  for (const length of [1, 7, 8, 9, 15, 16, 63, 512, 1027, 4096]) {
    const bytes = randomBytes(length);
    expect(value(contentCrc64(bytes)), `length ${length}`).toBe(reference(bytes));
  }
});

test('a view into a larger buffer is hashed over its own bytes only', () => {
  const whole = randomBytes(2048);
  const view = whole.subarray(100, 1124);
  expect(value(contentCrc64(view))).toBe(reference(Buffer.from(view)));
});
