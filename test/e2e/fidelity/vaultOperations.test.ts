/**
 * The vault-level surface an ASR script calls, through the official clients: a container mapping
 * as the REST example sends it ("Microsoft Azure"), vault PATCH, vault settings, supported operating
 * systems, the provider's operations, vault health and its refresh, fabric consistency check and
 * certificate renewal, container create/remove/discovery, jobs export read back through the API, and
 * ARM answers for what no route serves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SiteVm } from '../../../shared/site/types.js';
import { createClients, startService, type Service } from '../../support/clients.js';
import { armFetch, vaultPath } from '../infra/infraFixture.js';
import { protectNewVm } from '../lifecycle/lifecycleFixture.js';
import { FAST, MiB, prepareProtection, type ProtectionVault } from '../protection/protectionFixture.js';

describe('vault operations, as ASR answers them', () => {
  let service: Service;
  let p: ProtectionVault;
  let vm: SiteVm;
  const vaultUrl = () => vaultPath(p.sub, p.rg, p.vault);
  const rejection = async (call: () => Promise<unknown>): Promise<{ statusCode?: number; code?: string; message?: string }> => {
    try {
      await call();
      return {};
    } catch (error) {
      return error as { statusCode?: number; code?: string; message?: string };
    }
  };

  beforeAll(async () => {
    service = await startService();
    p = await prepareProtection(service, 5);
    vm = await protectNewVm(p, 'vault-ops-01', [1 * MiB]);
  });

  afterAll(async () => {
    await service?.stop();
  });

  it('maps a container to "Microsoft Azure" with the base provider input, as the REST example does', async () => {
    const mapping = await p.sr.replicationProtectionContainerMappings.beginCreateAndWait(
      p.vault, p.rg, p.site, p.container, 'asr-style',
      { properties: { targetProtectionContainerId: 'Microsoft Azure', policyId: p.policyId } },
      FAST,
    );
    expect(mapping.properties).toMatchObject({ state: 'Paired', targetProtectionContainerId: `${vaultUrl()}/replicationFabrics/${p.recovery}/replicationProtectionContainers/${(await p.sr.replicationProtectionContainers.listByReplicationFabrics(p.vault, p.rg, p.recovery).next()).value?.name ?? ''}` });
    await p.sr.replicationProtectionContainerMappings.beginDeleteAndWait(p.vault, p.rg, p.site, p.container, 'asr-style', { properties: {} }, FAST);
    // The REST example's body, byte for byte in shape (the client's types do not admit the base provider input).
    const mappingPath = `${vaultUrl()}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectionContainerMappings/asr-example`;
    const example = await armFetch(service, 'PUT', mappingPath, { body: { properties: { targetProtectionContainerId: 'Microsoft Azure', policyId: p.policyId, providerSpecificInput: { instanceType: 'ReplicationProviderSpecificContainerMappingInput' } } } });
    expect([200, 201, 202]).toContain(example.status);
    await expect.poll(async () => (await p.sr.replicationProtectionContainerMappings.get(p.vault, p.rg, p.site, p.container, 'asr-example')).properties?.state, { timeout: 10_000 }).toBe('Paired');
    await p.sr.replicationProtectionContainerMappings.beginDeleteAndWait(p.vault, p.rg, p.site, p.container, 'asr-example', { properties: {} }, FAST);
    const bad = await armFetch(service, 'PUT', `${vaultUrl()}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectionContainerMappings/bad`, {
      body: { properties: { targetProtectionContainerId: 'Microsoft Azure', policyId: p.policyId, providerSpecificInput: { instanceType: 'A2A' } } },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain('properties.providerSpecificInput.instanceType');
  });

  it('updates the vault with PATCH, keeps vault settings, and lists supported operating systems and the provider operations', async () => {
    const patched = await createClients(service.baseUrl, service.functionKey, p.sub).recoveryServices.vaults.beginUpdateAndWait(p.rg, p.vault, { tags: { env: 'dr' } }, FAST);
    expect(patched.tags).toEqual({ env: 'dr' });
    expect((await createClients(service.baseUrl, service.functionKey, p.sub).recoveryServices.vaults.get(p.rg, p.vault)).tags).toEqual({ env: 'dr' });
    const moved = await armFetch(service, 'PATCH', vaultUrl(), { body: { location: 'elsewhere' }, apiVersion: '2024-04-01' });
    expect(moved.status).toBe(400);

    expect((await p.sr.replicationVaultSetting.get(p.vault, p.rg, 'default')).properties).toEqual({});
    const migration = `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.Migrate/MigrateProjects/project/Solutions/Servers-Migration-ServerMigration`;
    const setting = await p.sr.replicationVaultSetting.beginCreateAndWait(p.vault, p.rg, 'default', { properties: { migrationSolutionId: migration } }, FAST);
    expect(setting).toMatchObject({ name: 'default', type: 'Microsoft.RecoveryServices/vaults/replicationVaultSettings', properties: { migrationSolutionId: migration } });
    const settings = [];
    for await (const entry of p.sr.replicationVaultSetting.list(p.vault, p.rg)) settings.push(entry.properties?.migrationSolutionId);
    expect(settings).toEqual([migration]);
    expect((await rejection(() => p.sr.replicationVaultSetting.get(p.vault, p.rg, 'other'))).statusCode).toBe(404);

    const os = await p.sr.supportedOperatingSystemsOperations.get(p.vault, p.rg, { instanceType: 'HyperVReplicaAzure' });
    expect(os.properties?.supportedOsList?.[0]?.instanceType).toBe('HyperVReplicaAzure');
    expect(os.properties?.supportedOsList?.[0]?.supportedOs?.map((entry) => entry.osType)).toEqual(expect.arrayContaining(['windows', 'linux']));
    expect((await rejection(() => p.sr.supportedOperatingSystemsOperations.get(p.vault, p.rg, { instanceType: 'A2A' }))).statusCode).toBe(400);

    const operations = [];
    for await (const operation of p.sr.operations.list(p.rg)) operations.push(operation.name);
    expect(operations).toEqual(expect.arrayContaining(['Microsoft.RecoveryServices/vaults/replicationFabrics/replicationProtectionContainers/replicationProtectedItems/testFailover/action', 'Microsoft.RecoveryServices/vaults/replicationJobs/read']));
  });

  it('summarises the vault health: items by health with their issues, fabrics, containers; refresh answers the same', async () => {
    const health = await p.sr.replicationVaultHealth.get(p.vault, p.rg);
    expect(health.name).toBe('default');
    expect(health.properties?.protectedItemsHealth?.resourceCount).toBe(1);
    const drill = health.properties?.protectedItemsHealth?.issues?.find((issue) => issue.summaryCode === '161011');
    expect(drill?.affectedResourceCorrelationIds).toEqual([`${vaultUrl()}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectedItems/vault-ops-01`]);
    expect(health.properties?.fabricsHealth).toMatchObject({ resourceCount: 2, issues: [] });
    const refreshed = await p.sr.replicationVaultHealth.beginRefreshAndWait(p.vault, p.rg, FAST);
    expect(refreshed.properties?.protectedItemsHealth?.resourceCount).toBe(1);
  });

  it('checks a site for consistency and renews its certificate as jobs that succeed', async () => {
    const checked = await p.sr.replicationFabrics.beginCheckConsistencyAndWait(p.vault, p.rg, p.site, FAST);
    expect(checked.name).toBe(p.site);
    await p.sr.replicationFabrics.beginRenewCertificateAndWait(p.vault, p.rg, p.site, { properties: { renewCertificateType: 'Cloud' } }, FAST);
    const jobs = [];
    for await (const job of p.sr.replicationJobs.list(p.vault, p.rg)) jobs.push(job);
    expect(jobs.filter((job) => ['CheckConsistency', 'RenewCertificate'].includes(job.properties?.scenarioName ?? '')).map((job) => job.properties?.state)).toEqual(['Succeeded', 'Succeeded']);
    const unknown = await armFetch(service, 'POST', `${vaultUrl()}/replicationFabrics/${p.site}/frobnicate`);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toContain('checkConsistency');
  });

  it('creates the site own container, refuses another and its removal while mapped, and discovers a reported VM', async () => {
    const own = await p.sr.replicationProtectionContainers.beginCreateAndWait(p.vault, p.rg, p.site, p.container, { properties: { providerSpecificInput: [] } }, FAST);
    expect(own.name).toBe(p.container);
    expect((await rejection(() => p.sr.replicationProtectionContainers.beginCreateAndWait(p.vault, p.rg, p.site, 'second', { properties: {} }, FAST))).statusCode).toBe(400);
    const removal = await rejection(() => p.sr.replicationProtectionContainers.beginDeleteAndWait(p.vault, p.rg, p.site, p.container, FAST));
    expect(removal.statusCode).toBe(409);
    expect(removal.message).toContain("protection container mapping 'mapping'");

    const found = await p.sr.replicationProtectionContainers.beginDiscoverProtectableItemAndWait(p.vault, p.rg, p.site, p.container, { properties: { friendlyName: vm.name, osType: 'Windows' } }, FAST);
    expect(found.name).toBe(p.container);
    const missing = await rejection(() => p.sr.replicationProtectionContainers.beginDiscoverProtectableItemAndWait(p.vault, p.rg, p.site, p.container, { properties: { friendlyName: 'no-such-vm' } }, FAST));
    expect(missing.message).toContain('no-such-vm');
  });

  it('exports the jobs to a file read back through the API', async () => {
    const succeeded = [];
    for await (const job of p.sr.replicationJobs.list(p.vault, p.rg, { filter: "state eq 'Succeeded'" })) succeeded.push(job);
    const exported = await p.sr.replicationJobs.beginExportAndWait(p.vault, p.rg, { jobStatus: 'Succeeded', jobOutputType: 'Excel' }, FAST);
    expect(exported.properties?.scenarioName).toBe('ExportJobs');
    const details = exported.properties?.customDetails as { instanceType?: string; blobUri?: string; sasToken?: string } | undefined;
    expect(details).toMatchObject({ instanceType: 'ExportJobDetails', sasToken: '' });
    const response = await fetch(details!.blobUri!, { headers: service.functionKey ? { 'x-functions-key': service.functionKey } : {} });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('Name,Operation,Scenario,Status,Start time,End time,Item,Item type,Errors');
    expect(lines.slice(1).map((line) => line.split(',')[0]).sort()).toEqual(succeeded.map((job) => job.name).sort());
    const xml = await armFetch(service, 'POST', `${vaultUrl()}/replicationJobs/export`, { body: { jobOutputType: 'Xml' } });
    expect(xml.status).toBe(400);
  });

  it('answers what no route serves in the ARM envelope: left-out types, unknown types, wrong methods, unknown paths', async () => {
    const migration = await armFetch(service, 'GET', `${vaultUrl()}/replicationMigrationItems`);
    expect(migration.status).toBe(404);
    expect(migration.json.error.code).toBe('OperationNotSupported');
    expect(migration.json.error.message).toContain('Migration');
    const vcenters = await armFetch(service, 'GET', `${vaultUrl()}/replicationFabrics/${p.site}/replicationvCenters`);
    expect(vcenters.json.error.message).toContain('VMware');
    const unknown = await armFetch(service, 'GET', `${vaultUrl()}/replicationWidgets`);
    expect([unknown.status, unknown.json.error.code]).toEqual([404, 'InvalidResourceType']);
    const wrongMethod = await armFetch(service, 'GET', `${vaultUrl()}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectedItems/vault-ops-01/testFailover`);
    expect([wrongMethod.status, wrongMethod.json.error.code]).toEqual([405, 'MethodNotAllowed']);
    const deep = await armFetch(service, 'GET', `${vaultUrl()}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectedItems/vault-ops-01/recoveryPoints/x/y`);
    expect([deep.status, deep.json.error.code]).toEqual([404, 'InvalidResourceType']);
    const fabricsOfDataReplication = await armFetch(service, 'GET', `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.DataReplication/replicationVaults/${p.vault}/replicationFabrics`);
    expect([fabricsOfDataReplication.status, fabricsOfDataReplication.json.error.code]).toEqual([404, 'ResourceNotFound']);
    const otherProvider = await armFetch(service, 'GET', `/subscriptions/${p.sub}/resourceGroups/${p.rg}/providers/Microsoft.Compute/virtualMachines/vm1`);
    expect([otherProvider.status, otherProvider.json.error.code]).toEqual([404, 'NoRegisteredProviderFound']);
  });
});
