import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { randomUUID } from 'node:crypto';
import { beforeAll, expect, test } from 'vitest';
import { createChangeLog } from '../../../shared/site/hyperv/changeLog.js';
import type { ChangeLogEntry } from '../../../shared/site/types.js';
import { testStorage } from '../../support/storage.js';

let container: ContainerClient;

beforeAll(async () => {
  container = BlobServiceClient.fromConnectionString(testStorage()).getContainerClient(`log${randomUUID().replaceAll('-', '')}`);
  await container.create();
});

const entry = (seq: number, offset = seq * 512): ChangeLogEntry => ({ seq, diskId: 'disk-0', offset, length: 512, time: new Date(1_700_000_000_000 + seq).toISOString() });
const seqs = (entries: readonly ChangeLogEntry[]): number[] => entries.map((e) => e.seq);
const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

test('reads in cycles see exactly the entries asked for, whoever appended them, including reads that go back', async () => {
  const vmId = randomUUID();
  const writer = createChangeLog(container, vmId);
  const reader = createChangeLog(container, vmId);
  for (const seq of range(1, 30)) await writer.append(entry(seq));

  expect(seqs(await reader.read(0, 10))).toEqual(range(1, 10));
  expect((await reader.last())?.seq).toBe(30);
  expect(seqs(await reader.read(10, 20))).toEqual(range(11, 20));
  for (const seq of range(31, 45)) await writer.append(entry(seq));
  expect((await reader.last())?.seq).toBe(45);
  expect(seqs(await reader.read(20, 40))).toEqual(range(21, 40));
  // A read from before where this reader has been (a drill's history check, a resync) sees it all.
  expect(seqs(await reader.read(5, 45))).toEqual(range(6, 45));
  expect(seqs(await reader.read(0, 3))).toEqual(range(1, 3));
  expect(seqs(await reader.read(44, 100))).toEqual([45]);
  expect(await reader.read(45, 100)).toEqual([]);
});

test('a log restarted under the same segment name is read anew, not from where the old one ended', async () => {
  const vmId = randomUUID();
  const writer = createChangeLog(container, vmId);
  const reader = createChangeLog(container, vmId);
  for (const seq of range(1, 20)) await writer.append(entry(seq, 1_000_000_000 + seq * 4096));
  expect(seqs(await reader.read(0, 20))).toEqual(range(1, 20));
  expect((await reader.last())?.seq).toBe(20);

  // The log restarts (failback): the same first seq, so the same segment name, and shorter lines.
  await writer.delete();
  for (const seq of range(1, 40)) await writer.append(entry(seq, seq));

  const again = await reader.read(20, 40);
  expect(seqs(again)).toEqual(range(21, 40));
  expect(again.every((e) => e.offset === e.seq)).toBe(true);
  expect(await reader.last()).toEqual(entry(40, 40));
});

test('an empty log has no last entry and nothing to read', async () => {
  const reader = createChangeLog(container, randomUUID());
  expect(await reader.last()).toBeUndefined();
  expect(await reader.read(0, 10)).toEqual([]);
});
