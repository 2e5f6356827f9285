/**
 * The workload's self-checking sector format. Every 512-byte sector a write covers carries:
 * magic (8) | seq u64 (8) | sector's disk offset u64 (8) | disk id (16) | index in write u32 (4) |
 * sectors in write u32 (4) | payload (432) | SHA-256 of the preceding 480 bytes, truncated (32).
 */
import { createHash, randomFillSync } from 'node:crypto';

export const SECTOR_SIZE = 512;
const MAGIC = Buffer.from('HVSRWRT1', 'ascii');
const CHECKSUM_AT = 480;

/** The stamp read back from one sector. */
export interface SectorStamp {
  seq: number;
  offset: number;
  diskTag: string;
  index: number;
  count: number;
  checksumValid: boolean;
}

function diskTagBytes(diskId: string): Buffer {
  const hex = diskId.replace(/-/g, '');
  return /^[0-9a-fA-F]{32}$/.test(hex) ? Buffer.from(hex, 'hex') : createHash('sha256').update(diskId).digest().subarray(0, 16);
}

/** Builds the bytes of write `seq` at `offset` (512-aligned) of `length` bytes on disk `diskId`. */
export function stampWrite(diskId: string, seq: number, offset: number, length: number): Buffer {
  if (offset % SECTOR_SIZE !== 0 || length % SECTOR_SIZE !== 0 || length <= 0) throw new RangeError('Writes must be 512-aligned.');
  const data = Buffer.allocUnsafe(length);
  randomFillSync(data);
  const tag = diskTagBytes(diskId);
  const count = length / SECTOR_SIZE;
  for (let i = 0; i < count; i++) {
    const sector = data.subarray(i * SECTOR_SIZE, (i + 1) * SECTOR_SIZE);
    MAGIC.copy(sector, 0);
    sector.writeBigUInt64LE(BigInt(seq), 8);
    sector.writeBigUInt64LE(BigInt(offset + i * SECTOR_SIZE), 16);
    tag.copy(sector, 24);
    sector.writeUInt32LE(i, 40);
    sector.writeUInt32LE(count, 44);
    createHash('sha256').update(sector.subarray(0, CHECKSUM_AT)).digest().copy(sector, CHECKSUM_AT);
  }
  return data;
}

/** Reads the stamp of a 512-byte sector, or undefined when the sector was not written by the workload. */
export function readSectorStamp(sector: Uint8Array): SectorStamp | undefined {
  const buf = Buffer.from(sector.buffer, sector.byteOffset, sector.byteLength);
  if (buf.length < SECTOR_SIZE || !buf.subarray(0, 8).equals(MAGIC)) return undefined;
  const checksum = createHash('sha256').update(buf.subarray(0, CHECKSUM_AT)).digest();
  return {
    seq: Number(buf.readBigUInt64LE(8)),
    offset: Number(buf.readBigUInt64LE(16)),
    diskTag: buf.subarray(24, 40).toString('hex'),
    index: buf.readUInt32LE(40),
    count: buf.readUInt32LE(44),
    checksumValid: checksum.equals(buf.subarray(CHECKSUM_AT, SECTOR_SIZE)),
  };
}

/** The tag a disk's stamps carry, to compare with `SectorStamp.diskTag`. */
export function diskTagOf(diskId: string): string {
  return diskTagBytes(diskId).toString('hex');
}
