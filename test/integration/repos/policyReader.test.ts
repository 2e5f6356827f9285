import { randomUUID } from 'node:crypto';
import { beforeAll, expect, test } from 'vitest';
import type { VaultRef } from '../../../shared/arm/resourceId.js';
import { createPolicyReader, type ReplicationPolicy } from '../../../shared/infra/policyReader.js';
import { ROW } from '../../../shared/infra/rowKinds.js';
import { createControlPlaneRepository, type ControlPlaneRepository } from '../../../shared/repos/ControlPlaneRepository.js';
import { vaultPartition } from '../../../shared/repos/partitions.js';
import { createStorageClients } from '../../../shared/storage/clients.js';
import { testStorage } from '../../support/storage.js';

let repository: ControlPlaneRepository;

beforeAll(() => {
  repository = createControlPlaneRepository(createStorageClients(testStorage()).table(`t${randomUUID().replaceAll('-', '')}`));
});

const policy = (replicationInterval: number): ReplicationPolicy => ({ name: 'every-30s', replicationInterval, applicationConsistentSnapshotFrequencyInHours: 0 });

test('a policy read is shared by the steps of a few seconds, then read again; a missing policy is undefined', async () => {
  const vault: VaultRef = { subscriptionId: randomUUID(), resourceGroupName: 'rg', vaultName: 'v' };
  const partition = vaultPartition(vault);
  const created = await repository.create(partition, ROW.policy, 'every-30s', policy(30));
  let reads = 0;
  const counted: Pick<ControlPlaneRepository, 'get'> = {
    get(...args) {
      reads++;
      return repository.get(...args);
    },
  };
  const reader = createPolicyReader(counted, 400);

  const first = await Promise.all([reader.get(vault, 'every-30s'), reader.get(vault, 'EVERY-30S'), reader.get(vault, 'every-30s')]);
  expect(first.map((p) => p?.replicationInterval)).toEqual([30, 30, 30]);
  expect(reads).toBe(1);

  await repository.replace(created, policy(300));
  expect((await reader.get(vault, 'every-30s'))?.replicationInterval).toBe(30);
  expect(reads).toBe(1);
  await new Promise((resolve) => setTimeout(resolve, 500));
  expect((await reader.get(vault, 'every-30s'))?.replicationInterval).toBe(300);
  expect(reads).toBe(2);

  expect(await reader.get(vault, 'gone')).toBeUndefined();
  expect(await reader.get({ ...vault, vaultName: 'other' }, 'every-30s')).toBeUndefined();
  expect(reads).toBe(4);
});
