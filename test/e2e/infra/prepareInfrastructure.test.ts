import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startService, type Service } from '../../support/clients.js';
import { FAST, all, armFetch, prepareVault, vaultPath } from './infraFixture.js';

let service: Service;
beforeAll(async () => {
  service = await startService();
});
afterAll(async () => {
  await service?.stop();
});

describe('prepare infrastructure through the official clients', () => {
  test('vaults: create in a resource group, get, list by group and subscription, registration key hidden', async () => {
    const { sub, rg, vault, clients } = await prepareVault(service, { vaultOnly: true });
    const got = await clients.recoveryServices.vaults.get(rg, vault);
    expect(got).toMatchObject({ name: vault, location: 'local', type: 'Microsoft.RecoveryServices/vaults', sku: { name: 'Standard' }, properties: { provisioningState: 'Succeeded' } });
    expect(got.id).toBe(vaultPath(sub, rg, vault));
    expect((await all(clients.recoveryServices.vaults.listByResourceGroup(rg))).map((v) => v.name)).toEqual([vault]);
    expect((await all(clients.recoveryServices.vaults.listBySubscriptionId())).map((v) => v.name)).toEqual([vault]);
    const raw = await armFetch(service, 'GET', vaultPath(sub, rg, vault), { apiVersion: '2024-04-01' });
    expect(JSON.stringify(raw.json)).not.toContain('registrationKey');
    const key = await armFetch(service, 'POST', `${vaultPath(sub, rg, vault)}/listRegistrationKey`, { apiVersion: '2024-04-01' });
    expect(key.status).toBe(200);
    expect(key.json.registrationKey).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const keyWithoutFunctionKey = await armFetch(service, 'POST', `${vaultPath(sub, rg, vault)}/listRegistrationKey`, { apiVersion: '2024-04-01', key: null });
    expect(keyWithoutFunctionKey.status).toBe(401);
  });

  test('a vault in a missing resource group is 404 ResourceGroupNotFound', async () => {
    const { clients } = await prepareVault(service, { vaultOnly: true });
    await expect(clients.recoveryServices.vaults.beginCreateOrUpdateAndWait('no-such-rg', 'v', { location: 'local', sku: { name: 'Standard' } }, FAST)).rejects.toMatchObject({
      statusCode: 404,
      code: 'ResourceGroupNotFound',
    });
  });

  test('fabrics, containers, policy and mapping: LRO results, get and list', async () => {
    const p = await prepareVault(service);
    const { sr, vault, rg } = p;
    const fabrics = await all(sr.replicationFabrics.list(vault, rg));
    expect(fabrics.map((f) => [f.name, f.properties?.customDetails?.instanceType]).sort()).toEqual([
      [p.site, 'HyperVSite'],
      [p.recovery, 'Azure'],
    ]);
    const recovery = await sr.replicationFabrics.get(vault, rg, p.recovery);
    expect(recovery.properties?.customDetails).toMatchObject({ instanceType: 'Azure', location: 'local' });
    expect(recovery.properties?.internalIdentifier).toMatch(/^[0-9a-f-]{36}$/);

    const containers = await all(sr.replicationProtectionContainers.listByReplicationFabrics(vault, rg, p.site));
    expect(containers.map((c) => c.name)).toEqual([`${p.site}-container`]);
    expect((await all(sr.replicationProtectionContainers.list(vault, rg))).map((c) => c.name).sort()).toEqual([`${p.site}-container`, `${p.recovery}-container`]);
    const container = await sr.replicationProtectionContainers.get(vault, rg, p.site, `${p.site}-container`);
    expect(container.properties).toMatchObject({ fabricFriendlyName: p.site, fabricType: 'HyperVSite', pairingStatus: 'Paired', protectedItemCount: 0 });

    const policy = await sr.replicationPolicies.get(vault, rg, p.policy);
    expect(policy.properties?.providerSpecificDetails).toMatchObject({
      instanceType: 'HyperVReplicaAzure',
      replicationInterval: 30,
      recoveryPointHistoryDurationInHours: 24,
      applicationConsistentSnapshotFrequencyInHours: 1,
    });
    expect((await all(sr.replicationPolicies.list(vault, rg))).map((x) => x.name)).toEqual([p.policy]);
    const updated = await sr.replicationPolicies.beginUpdateAndWait(
      vault,
      rg,
      p.policy,
      { properties: { replicationProviderSettings: { instanceType: 'HyperVReplicaAzure', replicationInterval: 300 } } },
      FAST,
    );
    expect(updated.properties?.providerSpecificDetails).toMatchObject({ replicationInterval: 300, recoveryPointHistoryDurationInHours: 24 });

    const mapping = await sr.replicationProtectionContainerMappings.get(vault, rg, p.site, `${p.site}-container`, p.mapping);
    expect(mapping.properties).toMatchObject({ state: 'Paired', policyId: policy.id, policyFriendlyName: p.policy, targetFabricFriendlyName: p.recovery });
    expect(mapping.properties?.targetProtectionContainerId?.toLowerCase()).toContain(`/replicationfabrics/${p.recovery}/replicationprotectioncontainers/${p.recovery}-container`);
    expect((await all(sr.replicationProtectionContainerMappings.listByReplicationProtectionContainers(vault, rg, p.site, `${p.site}-container`))).map((m) => m.name)).toEqual([p.mapping]);
    expect((await all(sr.replicationProtectionContainerMappings.list(vault, rg))).map((m) => m.name)).toEqual([p.mapping]);
  });

  test('LRO answers 202 with absolute Location, Azure-AsyncOperation and Retry-After on the request host', async () => {
    const p = await prepareVault(service, { vaultOnly: true });
    const path = `${vaultPath(p.sub, p.rg, p.vault)}/replicationPolicies/p2`;
    const response = await armFetch(service, 'PUT', path, { body: { properties: { providerSpecificInput: { instanceType: 'HyperVReplicaAzure' } } } });
    expect(response.status).toBe(202);
    const origin = new URL(service.baseUrl).origin;
    expect(response.headers.get('location')).toBe(`${service.baseUrl}${path}?api-version=2023-06-01`);
    expect(response.headers.get('azure-asyncoperation')).toMatch(new RegExp(`^${origin}/api${vaultPath(p.sub, p.rg, p.vault)}/replicationOperationStatus/[0-9a-f-]{36}\\?api-version=2023-06-01$`));
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const statusUrl = new URL(response.headers.get('azure-asyncoperation') as string);
    let status: any;
    for (let i = 0; i < 100; i += 1) {
      status = (await armFetch(service, 'GET', statusUrl.pathname.replace(/^\/api/, ''))).json;
      if (status.status !== 'InProgress') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toMatchObject({ status: 'Succeeded', name: statusUrl.pathname.split('/').at(-1) });
    expect(status.endTime).toBeDefined();
  });

  test('removals blocked by dependents get 409 and change nothing; then everything is removed in order', async () => {
    const p = await prepareVault(service);
    const { sr, vault, rg } = p;
    await expect(sr.replicationPolicies.beginDeleteAndWait(vault, rg, p.policy, FAST)).rejects.toMatchObject({ statusCode: 409, code: 'PolicyInUse' });
    await expect(sr.replicationFabrics.beginDeleteAndWait(vault, rg, p.recovery, FAST)).rejects.toMatchObject({ statusCode: 409, code: 'FabricInUse' });
    await expect(sr.replicationFabrics.beginPurgeAndWait(vault, rg, p.site, FAST)).rejects.toMatchObject({ statusCode: 409, code: 'FabricInUse' });
    await expect(p.clients.recoveryServices.vaults.beginDeleteAndWait(rg, vault, FAST)).rejects.toMatchObject({ statusCode: 409, code: 'VaultNotEmpty' });
    expect(await all(sr.replicationFabrics.list(vault, rg))).toHaveLength(2);
    expect(await all(sr.replicationPolicies.list(vault, rg))).toHaveLength(1);

    await sr.replicationProtectionContainerMappings.beginDeleteAndWait(vault, rg, p.site, `${p.site}-container`, p.mapping, { properties: {} }, FAST);
    expect(await all(sr.replicationProtectionContainerMappings.list(vault, rg))).toHaveLength(0);
    await sr.replicationPolicies.beginDeleteAndWait(vault, rg, p.policy, FAST);
    await sr.replicationFabrics.beginDeleteAndWait(vault, rg, p.site, FAST);
    await sr.replicationFabrics.beginPurgeAndWait(vault, rg, p.recovery, FAST);
    expect(await all(sr.replicationFabrics.list(vault, rg))).toHaveLength(0);
    expect(await all(sr.replicationPolicies.list(vault, rg))).toHaveLength(0);
    await expect(sr.replicationFabrics.get(vault, rg, p.site)).rejects.toMatchObject({ statusCode: 404 });
    await p.clients.recoveryServices.vaults.beginDeleteAndWait(rg, vault, FAST);
    expect(await all(p.clients.recoveryServices.vaults.listByResourceGroup(rg))).toHaveLength(0);
  });

  test('two creates racing for one name: one wins, the other gets 409', async () => {
    const p = await prepareVault(service, { vaultOnly: true });
    const path = `${vaultPath(p.sub, p.rg, p.vault)}/replicationFabrics/contested`;
    const responses = await Promise.all([
      armFetch(service, 'PUT', path, { body: { properties: { customDetails: { instanceType: 'HyperVSite' } } } }),
      armFetch(service, 'PUT', path, { body: { properties: { customDetails: { instanceType: 'Azure', location: 'local' } } } }),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([202, 409]);
    expect(await all(p.sr.replicationFabrics.list(p.vault, p.rg))).toHaveLength(1);
  });

  test('mapping inputs are checked: missing policy 404, wrong container kinds 400, each naming the field', async () => {
    const p = await prepareVault(service);
    const base = vaultPath(p.sub, p.rg, p.vault);
    const target = `${base}/replicationFabrics/${p.recovery}/replicationProtectionContainers/${p.recovery}-container`;
    const path = `${base}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.site}-container/replicationProtectionContainerMappings/m2`;
    const missingPolicy = await armFetch(service, 'PUT', path, { body: { properties: { targetProtectionContainerId: target, policyId: `${base}/replicationPolicies/nope` } } });
    expect(missingPolicy.status).toBe(404);
    expect(missingPolicy.json.error.message).toContain('properties.policyId');
    const sourceAsTarget = await armFetch(service, 'PUT', path, {
      body: { properties: { targetProtectionContainerId: `${base}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.site}-container`, policyId: `${base}/replicationPolicies/${p.policy}` } },
    });
    expect(sourceAsTarget.status).toBe(400);
    expect(sourceAsTarget.json.error.target).toBe('properties.targetProtectionContainerId');
    const missingContainer = await armFetch(service, 'PUT', path, { body: { properties: { targetProtectionContainerId: `${base}/replicationFabrics/x/replicationProtectionContainers/x-container`, policyId: `${base}/replicationPolicies/${p.policy}` } } });
    expect(missingContainer.status).toBe(404);
    expect(await all(p.sr.replicationProtectionContainerMappings.list(p.vault, p.rg))).toHaveLength(1);
  });
});
