import { randomUUID } from 'node:crypto';
import { beforeAll, expect, test } from 'vitest';
import { ConcurrencyError } from '../../../shared/errors/ConcurrencyError.js';
import { createControlPlaneRepository, type ControlPlaneRepository } from '../../../shared/repos/ControlPlaneRepository.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { createSeededRandom } from '../../../host/faults/seededRandom.js';
import { startFaultyStorage } from '../../support/faultyStorage.js';
import { azuritePortsOf, testStorage } from '../../support/storage.js';

let repository: ControlPlaneRepository;
const partition = () => `vault|${randomUUID()}`;

beforeAll(() => {
  const clients = createStorageClients(testStorage());
  repository = createControlPlaneRepository(clients.table(`t${randomUUID().replaceAll('-', '')}`));
});

test('get is undefined when missing; create fails on a duplicate; names compare case-insensitively', async () => {
  const pk = partition();
  expect(await repository.get(pk, 'fabric', 'Site')).toBeUndefined();
  const row = await repository.create(pk, 'fabric', 'Site', { n: 1 });
  expect((await repository.get<{ n: number }>(pk, 'fabric', 'site'))?.value).toEqual({ n: 1 });
  await expect(repository.create(pk, 'fabric', 'SITE', { n: 2 })).rejects.toMatchObject({ name: 'ConcurrencyError', reason: 'exists' });
  expect(row.etag).toBeTruthy();
});

test('replace needs the current ETag; update re-reads and retries; delete is idempotent', async () => {
  const pk = partition();
  const first = await repository.create(pk, 'policy', 'p', { v: 1 });
  const second = await repository.replace(first, { v: 2 });
  await expect(repository.replace(first, { v: 3 })).rejects.toBeInstanceOf(ConcurrencyError);
  const updates = await Promise.all([1, 2, 3, 4].map(() => repository.update<{ v: number }>(pk, 'policy', 'p', (value) => ({ v: value.v + 1 }), 10)));
  expect(updates.every(Boolean)).toBe(true);
  expect((await repository.get<{ v: number }>(pk, 'policy', 'p'))?.value.v).toBe(6);
  await expect(repository.delete(pk, 'policy', 'p', second.etag)).rejects.toMatchObject({ reason: 'changed' });
  await repository.delete(pk, 'policy', 'p');
  await repository.delete(pk, 'policy', 'p');
  expect(await repository.update(pk, 'policy', 'p', () => ({ v: 0 }))).toBeUndefined();
});

test('keys escape characters Table keys forbid, and list pages by kind and prefix', async () => {
  const pk = partition();
  const awkward = ['a/b', 'c\\d', 'e#f', 'g?h', 'i%j', 'k|l', 'm\u0001n'];
  for (const name of awkward) await repository.create(pk, 'thing', ['fab', name], { name });
  await repository.create(pk, 'thing', ['other', 'x'], { name: 'x' });
  await repository.create(pk, 'things', 'y', { name: 'y' });
  for (const name of awkward) expect((await repository.get<{ name: string }>(pk, 'thing', ['fab', name]))?.value.name).toBe(name);

  const first = await repository.list<{ name: string }>(pk, 'thing', { prefix: ['fab'], pageSize: 3 });
  expect(first.rows).toHaveLength(3);
  expect(first.continuationToken).toBeTruthy();
  const names: string[] = [];
  for await (const row of repository.listAll<{ name: string }>(pk, 'thing', { prefix: ['fab'], pageSize: 3 })) names.push(row.value.name);
  expect(names.sort()).toEqual([...awkward].sort());
  const kinds: string[] = [];
  for await (const row of repository.listAll<{ name: string }>(pk, 'thing')) kinds.push(row.value.name);
  expect(kinds).toHaveLength(awkward.length + 1);
});

test('transact writes all rows or none', async () => {
  const pk = partition();
  const existing = await repository.create(pk, 'item', 'a', { state: 'Protected' });
  await repository.transact(pk, [
    { action: 'replace', kind: 'item', name: 'a', value: { state: 'Failover' }, etag: existing.etag },
    { action: 'create', kind: 'job', name: 'j1', value: { id: 'j1' } },
  ]);
  await expect(
    repository.transact(pk, [
      { action: 'replace', kind: 'item', name: 'a', value: { state: 'Other' }, etag: existing.etag },
      { action: 'create', kind: 'job', name: 'j2', value: { id: 'j2' } },
    ]),
  ).rejects.toBeInstanceOf(ConcurrencyError);
  expect((await repository.get<{ state: string }>(pk, 'item', 'a'))?.value.state).toBe('Failover');
  expect(await repository.get(pk, 'job', 'j2')).toBeUndefined();
});

test('touch makes a transaction depend on a row it does not change', async () => {
  const pk = partition();
  const policy = await repository.create(pk, 'policy', 'p', { settings: 1 });
  await repository.transact(pk, [{ action: 'create', kind: 'mapping', name: 'm1', value: {} }, { action: 'touch', row: policy }]);
  expect((await repository.get<{ settings: number }>(pk, 'policy', 'p'))?.value).toEqual({ settings: 1 });
  await expect(repository.transact(pk, [{ action: 'create', kind: 'mapping', name: 'm2', value: {} }, { action: 'touch', row: policy }])).rejects.toMatchObject({
    reason: 'changed',
  });
  expect(await repository.get(pk, 'mapping', 'm2')).toBeUndefined();
});

test('a value past what a Table entity holds as text is stored gzipped; one too large even so is refused and writes nothing', async () => {
  const pk = partition();
  // Like a host's report of 2 000 disks: ~670 000 characters of JSON, most of it repeated names.
  const report = { vms: Array.from({ length: 2000 }, (_, i) => ({ id: `vm-${i}-${'a'.repeat(24)}`, disks: [0, 1, 2].map((d) => ({ container: 'site-disks-0123456789', blobName: `disks/vm-${i}/disk-${d}.vhd`, sizeBytes: 1048576 * (d + 1) })) })) };
  expect(JSON.stringify(report).length).toBeGreaterThan(450_000);
  const created = await repository.create(pk, 'siteHost', 'big', report);
  expect((await repository.get<typeof report>(pk, 'siteHost', 'big'))?.value).toEqual(report);
  const changed = { vms: report.vms.slice(1) };
  await repository.replace(created, changed);
  expect((await repository.get<typeof changed>(pk, 'siteHost', 'big'))?.value).toEqual(changed);
  // Random text does not compress: 1 M characters cannot be stored.
  const noise = { text: Array.from({ length: 1_000_000 / 8 }, () => Math.random().toString(36).slice(2, 10)).join('') };
  await expect(repository.create(pk, 'siteHost', 'noise', noise)).rejects.toMatchObject({ name: 'RowTooLargeError', kind: 'siteHost' });
  expect(await repository.get(pk, 'siteHost', 'noise')).toBeUndefined();
});

test('large values are split across properties; a partition can be deleted', async () => {
  const pk = partition();
  const big = { text: 'x'.repeat(100_000) };
  await repository.create(pk, 'inventory', 'big', big);
  expect((await repository.get<typeof big>(pk, 'inventory', 'big'))?.value).toEqual(big);
  await repository.create(pk, 'inventory', 'small', {});
  await repository.deletePartition(pk);
  expect(await repository.get(pk, 'inventory', 'big')).toBeUndefined();
  expect((await repository.list(pk, 'inventory')).rows).toHaveLength(0);
});

test('a write storage carried out but whose answer was lost succeeds on the client\'s retry; another writer\'s write still conflicts', async () => {
  const storage = await startFaultyStorage({ target: azuritePortsOf(testStorage()), faultRate: 0, random: createSeededRandom('repository') });
  try {
    const faulty = createControlPlaneRepository(createStorageClients(storage.connectionString).table(`t${randomUUID().replaceAll('-', '')}`));
    const pk = partition();
    await faulty.get(pk, 'policy', 'warm-up');
    storage.failNext('lostAnswer');
    const created = await faulty.create(pk, 'policy', 'p', { v: 1 });
    storage.failNext('lostAnswer');
    const replaced = await faulty.replace(created, { v: 2 });
    expect((await faulty.get<{ v: number }>(pk, 'policy', 'p'))).toMatchObject({ value: { v: 2 }, etag: replaced.etag });
    storage.failNext('lostAnswer');
    await faulty.transact(pk, [{ action: 'replace', kind: 'policy', name: 'p', value: { v: 3 }, etag: replaced.etag }, { action: 'create', kind: 'policy', name: 'q', value: { v: 1 } }]);
    expect((await faulty.get<{ v: number }>(pk, 'policy', 'q'))?.value).toEqual({ v: 1 });
    expect(storage.counts().lostAnswer).toBe(3);
    // Stale ETag and an existing row: those are other writers' rows, and still refused.
    await expect(faulty.replace(created, { v: 9 })).rejects.toMatchObject({ reason: 'changed' });
    await expect(faulty.create(pk, 'policy', 'q', { v: 9 })).rejects.toMatchObject({ reason: 'exists' });
    expect((await faulty.get<{ v: number }>(pk, 'policy', 'p'))?.value).toEqual({ v: 3 });
  } finally {
    await storage.close();
  }
});
