/**
 * Recovery services providers, networks and network mappings through the official client against
 * the local host: each reporting Hyper-V host is a provider, registered by one `RegisterDra` job
 * even when its first reports race; the site's networks are those its hosts report; a network
 * mapping sends the VMs of a source network to a recovery network at failover and test failover,
 * their static addresses kept; bad requests get the ARM envelope and change nothing.
 */
import type { RecoveryServicesProvider } from '@azure/arm-recoveryservices-siterecovery';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROW } from '../../../shared/infra/rowKinds.js';
import type { SiteHostRecord } from '../../../shared/infra/siteInventory.js';
import { PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../../../shared/protection/protectedItemRecord.js';
import { vaultPartition } from '../../../shared/repos/partitions.js';
import type { SiteVm } from '../../../shared/site/types.js';
import { startService, type Service } from '../../support/clients.js';
import { all, armFetch, vaultPath } from '../infra/infraFixture.js';
import { enableInput, FAST, MiB, prepareProtection, waitForItem, type ProtectionVault } from '../protection/protectionFixture.js';

const HOST = 'hv-host-01';
const SPARE_HOST = 'hv-host-02';
const ITEM = 'web-01';
const STATIC_IP = '10.1.2.7';
const vnet = (sub: string, name: string) => `/subscriptions/${sub}/resourceGroups/dr-rg/providers/Microsoft.Network/virtualNetworks/${name}`;

let service: Service;
let p: ProtectionVault;
let vm: SiteVm;
let base: string;
let drNet: string;

beforeAll(async () => {
  service = await startService();
  p = await prepareProtection(service, 5);
  base = vaultPath(p.sub, p.rg, p.vault);
  drNet = vnet(p.sub, 'dr-net');
  await p.hyperV.addNetwork({ name: 'corp', subnets: [{ name: 'app', addressPrefixes: ['10.1.2.0/24'] }] });
  await p.hyperV.addNetwork({ name: 'Lab Switch', subnets: [] });
});

afterAll(async () => {
  await service?.stop();
});

/** Sends a host report the way a host does (anonymous, with the vault's registration key). */
const report = (body: Record<string, unknown>) =>
  armFetch(service, 'POST', '/hyperVSites/report', { body: { vaultId: base, fabricName: p.site, vms: [], ...body }, apiVersion: null, key: null, headers: { 'x-ms-registration-key': p.registrationKey } });

const providers = () => all(p.sr.replicationRecoveryServicesProviders.listByReplicationFabrics(p.vault, p.rg, p.site));
const providerOf = async (host: string): Promise<RecoveryServicesProvider> => {
  const found = (await providers()).find((provider) => provider.properties?.friendlyName === host);
  if (!found) throw new Error(`no provider for ${host}`);
  return found;
};
const jobsOf = async (scenarioName: string, targetObjectName?: string) =>
  (await all(p.sr.replicationJobs.list(p.vault, p.rg, { filter: `scenarioName eq '${scenarioName}'` }))).filter((job) => targetObjectName === undefined || job.properties?.targetObjectName === targetObjectName);
const settled = async (scenarioName: string, targetObjectName: string, count: number) => {
  await expect.poll(async () => (await jobsOf(scenarioName, targetObjectName)).filter((job) => job.properties?.state === 'Succeeded').length, { timeout: 20_000 }).toBe(count);
};
const networkNamed = async (fabric: string, friendlyName: string) => {
  const found = (await all(p.sr.replicationNetworks.listByReplicationFabrics(p.vault, p.rg, fabric))).find((network) => network.properties?.friendlyName === friendlyName);
  if (!found?.name) throw new Error(`no network ${friendlyName} at ${fabric}`);
  return found;
};
const record = async (): Promise<ProtectedItemRecord> => {
  const row = await p.services.plane.repository.get<ProtectedItemRecord>(vaultPartition(p.ref), PROTECTED_ITEM_ROW, [p.site, p.container, ITEM]);
  if (!row) throw new Error('item missing');
  return row.value;
};

describe('providers, networks and network mappings', () => {
  it("a host's first report registers it as a provider, exactly once even when its reports race; providers show ASR's properties", async () => {
    const raced = await Promise.all([1, 2, 3, 4].map(() => report({ hostName: SPARE_HOST, agentVersion: '1.0.0.0' })));
    expect(raced.map((response) => response.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(raced.map((response) => response.json.providerId)).size).toBe(1);
    expect(raced.filter((response) => response.json.registrationJobId)).toHaveLength(1);

    [vm] = (await p.addVms([
      { name: ITEM, osType: 'Linux', disks: [{ sizeBytes: 2 * MiB, isOsDisk: true, contents: { kind: 'random', fraction: 0.5 } }], nics: [{ networkName: 'corp', ipAddress: STATIC_IP, ipAddressType: 'Static' }] },
    ])) as [SiteVm];
    await p.addVms([]); // later reports register nothing
    await p.addVms([]);

    await settled('RegisterDra', SPARE_HOST, 1);
    await settled('RegisterDra', HOST, 1);
    const [registration] = await jobsOf('RegisterDra', HOST);
    expect(registration?.properties).toMatchObject({ friendlyName: 'Register the Azure Site Recovery Provider', targetInstanceType: 'Server', state: 'Succeeded' });
    expect(await jobsOf('RegisterDra')).toHaveLength(2);

    const listed = await providers();
    expect(listed.map((provider) => provider.properties?.friendlyName).sort()).toEqual([HOST, SPARE_HOST]);
    const provider = await p.sr.replicationRecoveryServicesProviders.get(p.vault, p.rg, p.site, (await providerOf(HOST)).name!);
    expect(provider.id).toBe(`${base}/replicationFabrics/${p.site}/replicationRecoveryServicesProviders/${provider.name}`);
    expect(provider.type).toBe('Microsoft.RecoveryServices/vaults/replicationFabrics/replicationRecoveryServicesProviders');
    expect(provider.properties).toMatchObject({
      fabricType: 'HyperVSite',
      friendlyName: HOST,
      machineName: HOST,
      fabricFriendlyName: p.site,
      providerVersion: '1.0.0.0',
      serverVersion: '1.0.0.0',
      providerVersionState: 'Latest',
      connectionStatus: 'Connected',
      protectedItemCount: 0,
      allowedScenarios: ['Refresh'],
      healthErrorDetails: [],
      draIdentifier: provider.name,
      providerVersionDetails: { version: '1.0.0.0', status: 'Supported' },
    });
    expect(provider.properties?.providerVersionExpiryDate).toBeInstanceOf(Date);
    expect(Date.now() - provider.properties!.lastHeartBeat!.getTime()).toBeLessThan(60_000);
    expect((await all(p.sr.replicationRecoveryServicesProviders.list(p.vault, p.rg))).map((x) => x.name).sort()).toEqual(listed.map((x) => x.name).sort());
    // The site's protectable items name the provider of the host that reports them.
    const protectable = await p.sr.replicationProtectableItems.get(p.vault, p.rg, p.site, p.container, vm.id);
    expect(protectable.properties?.recoveryServicesProviderId).toBe(provider.id);

    const refreshed = await p.sr.replicationRecoveryServicesProviders.beginRefreshProviderAndWait(p.vault, p.rg, p.site, provider.name!, FAST);
    expect(refreshed).toMatchObject({ name: provider.name, properties: { connectionStatus: 'Connected' } });
    expect((await jobsOf('RefreshFabricLayout', HOST))[0]?.properties).toMatchObject({ friendlyName: 'Refresh server details', state: 'Succeeded' });
  });

  it("networks: a Hyper-V site's as its hosts report them, by fabric, by vault and one by one", async () => {
    const networks = await all(p.sr.replicationNetworks.listByReplicationFabrics(p.vault, p.rg, p.site));
    expect(networks.map((network) => network.properties?.friendlyName)).toEqual(['corp', 'Lab Switch']);
    const corp = networks[0]!;
    expect(corp).toMatchObject({
      id: `${base}/replicationFabrics/${p.site}/replicationNetworks/${corp.name}`,
      type: 'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationNetworks',
      properties: { fabricType: 'HyperVSite', friendlyName: 'corp', networkType: 'NoIsolation', subnets: [{ name: 'app', friendlyName: 'app', addressList: ['10.1.2.0/24'] }] },
    });
    expect(corp.name).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(await p.sr.replicationNetworks.get(p.vault, p.rg, p.site, corp.name!)).toMatchObject({ name: corp.name, properties: { friendlyName: 'corp' } });
    // The recovery site uses no network yet.
    expect(await all(p.sr.replicationNetworks.listByReplicationFabrics(p.vault, p.rg, p.recovery))).toEqual([]);
    expect((await all(p.sr.replicationNetworks.list(p.vault, p.rg))).map((network) => network.name).sort()).toEqual(networks.map((network) => network.name).sort());
  });

  it("network mappings: create, get, list, update and delete through the official client, with ASR's values", async () => {
    const corp = await networkNamed(p.site, 'corp');
    const created = await p.sr.replicationNetworkMappings.beginCreateAndWait(
      p.vault, p.rg, p.site, corp.name!, 'corp-to-dr',
      { properties: { recoveryFabricName: p.recovery, recoveryNetworkId: drNet, fabricSpecificDetails: { instanceType: 'VmmToAzure' } } },
      FAST,
    );
    expect(created).toMatchObject({
      id: `${base}/replicationFabrics/${p.site}/replicationNetworks/${corp.name}/replicationNetworkMappings/corp-to-dr`,
      name: 'corp-to-dr',
      type: 'Microsoft.RecoveryServices/vaults/replicationFabrics/replicationNetworks/replicationNetworkMappings',
      properties: {
        state: 'Paired',
        primaryNetworkFriendlyName: 'corp',
        primaryNetworkId: corp.id,
        primaryFabricFriendlyName: p.site,
        recoveryNetworkFriendlyName: 'dr-net',
        recoveryNetworkId: drNet,
        recoveryFabricArmId: `${base}/replicationFabrics/${p.recovery}`,
        recoveryFabricFriendlyName: p.recovery,
        fabricSpecificSettings: { instanceType: 'VmmToAzure' },
      },
    });
    expect((await jobsOf('AddNetworkMapping', 'corp-to-dr'))[0]?.properties?.state).toBe('Succeeded');
    expect((await p.sr.replicationNetworkMappings.get(p.vault, p.rg, p.site, corp.name!, 'corp-to-dr')).properties?.state).toBe('Paired');
    expect((await all(p.sr.replicationNetworkMappings.listByReplicationNetworks(p.vault, p.rg, p.site, corp.name!))).map((m) => m.name)).toEqual(['corp-to-dr']);

    // The recovery site now lists the network it maps to; a mapping may name it by that id too.
    const dr = await networkNamed(p.recovery, 'dr-net');
    expect(dr.properties).toMatchObject({ fabricType: 'Azure', friendlyName: 'dr-net' });
    const lab = await networkNamed(p.site, 'Lab Switch');
    const labMapping = await p.sr.replicationNetworkMappings.beginCreateAndWait(p.vault, p.rg, p.site, lab.name!, 'lab-to-dr', { properties: { recoveryNetworkId: dr.id! } }, FAST);
    expect(labMapping.properties).toMatchObject({ state: 'Paired', recoveryNetworkId: drNet, recoveryFabricFriendlyName: p.recovery, primaryNetworkFriendlyName: 'Lab Switch' });
    const updated = await p.sr.replicationNetworkMappings.beginUpdateAndWait(
      p.vault, p.rg, p.site, lab.name!, 'lab-to-dr',
      { properties: { recoveryFabricName: p.recovery, recoveryNetworkId: vnet(p.sub, 'dr-lab'), fabricSpecificDetails: { instanceType: 'VmmToAzure' } } },
      FAST,
    );
    expect(updated.properties).toMatchObject({ state: 'Paired', recoveryNetworkId: vnet(p.sub, 'dr-lab'), recoveryNetworkFriendlyName: 'dr-lab' });
    expect((await jobsOf('ModifyNetworkMapping', 'lab-to-dr'))[0]?.properties?.state).toBe('Succeeded');
    expect((await all(p.sr.replicationNetworkMappings.list(p.vault, p.rg))).map((m) => m.name).sort()).toEqual(['corp-to-dr', 'lab-to-dr']);

    // The same PUT again returns the mapping at once; another mapping of a mapped network is a 409.
    const again = await armFetch(service, 'PUT', `${base}/replicationFabrics/${p.site}/replicationNetworks/${corp.name}/replicationNetworkMappings/corp-to-dr`, { body: { properties: { recoveryFabricName: p.recovery, recoveryNetworkId: drNet } } });
    expect(again.status).toBe(200);
    expect(again.json.properties.state).toBe('Paired');
    const second = await armFetch(service, 'PUT', `${base}/replicationFabrics/${p.site}/replicationNetworks/${corp.name}/replicationNetworkMappings/other`, { body: { properties: { recoveryNetworkId: drNet } } });
    expect(second.status).toBe(409);
    expect(second.json.error).toMatchObject({ code: 'NetworkAlreadyMapped', message: expect.stringContaining('corp-to-dr') });

    await p.sr.replicationNetworkMappings.beginDeleteAndWait(p.vault, p.rg, p.site, lab.name!, 'lab-to-dr', FAST);
    expect((await all(p.sr.replicationNetworkMappings.list(p.vault, p.rg))).map((m) => m.name)).toEqual(['corp-to-dr']);
    expect((await jobsOf('RemoveNetworkMapping', 'lab-to-dr'))[0]?.properties?.state).toBe('Succeeded');
    await expect(p.sr.replicationNetworkMappings.get(p.vault, p.rg, p.site, lab.name!, 'lab-to-dr')).rejects.toMatchObject({ statusCode: 404 });
  });

  it('bad requests get a 4xx in the ARM envelope naming the problem, and change nothing', async () => {
    const corp = await networkNamed(p.site, 'corp');
    const dr = await networkNamed(p.recovery, 'dr-net');
    const snapshot = async () => ({
      mappings: (await all(p.sr.replicationNetworkMappings.list(p.vault, p.rg))).map((m) => [m.name, m.properties?.recoveryNetworkId]),
      jobs: (await all(p.sr.replicationJobs.list(p.vault, p.rg))).length,
      providers: (await providers()).map((x) => x.name).sort(),
    });
    const before = await snapshot();
    const mappingPath = (network: string, name = 'bad', fabric = p.site) => `${base}/replicationFabrics/${fabric}/replicationNetworks/${network}/replicationNetworkMappings/${name}`;
    const valid = { properties: { recoveryFabricName: p.recovery, recoveryNetworkId: vnet(p.sub, 'elsewhere') } };
    const unknownNetwork = '0f0f0f0f-0000-4000-8000-000000000000';
    const cases: Array<[string, string, string, unknown, number, string]> = [
      ['an unknown network', 'GET', `${base}/replicationFabrics/${p.site}/replicationNetworks/${unknownNetwork}`, undefined, 404, 'networkName'],
      ['a mapping of an unknown network', 'PUT', mappingPath(unknownNetwork), valid, 404, 'networkName'],
      ['a mapping to an unknown recovery network', 'PUT', mappingPath(corp.name!, 'corp-to-dr'), { properties: { recoveryNetworkId: `${base}/replicationFabrics/${p.recovery}/replicationNetworks/${unknownNetwork}` } }, 404, 'properties.recoveryNetworkId'],
      ["a mapping to the source site's own network", 'PUT', mappingPath(corp.name!, 'corp-to-dr'), { properties: { recoveryNetworkId: corp.id } }, 400, 'properties.recoveryNetworkId'],
      ['a recovery network id that is no network', 'PUT', mappingPath(corp.name!, 'corp-to-dr'), { properties: { recoveryNetworkId: `/subscriptions/${p.sub}/resourceGroups/dr-rg` } }, 400, 'properties.recoveryNetworkId'],
      ['no recovery network', 'PUT', mappingPath(corp.name!, 'corp-to-dr'), { properties: { recoveryFabricName: p.recovery } }, 400, 'properties.recoveryNetworkId'],
      ['no properties', 'PUT', mappingPath(corp.name!, 'corp-to-dr'), {}, 400, 'properties'],
      ['an unsupported mapping kind', 'PUT', mappingPath(corp.name!, 'corp-to-dr'), { properties: { ...valid.properties, fabricSpecificDetails: { instanceType: 'AzureToAzure' } } }, 400, 'properties.fabricSpecificDetails.instanceType'],
      ['a Hyper-V site as the recovery fabric', 'PUT', mappingPath(corp.name!, 'corp-to-dr'), { properties: { ...valid.properties, recoveryFabricName: p.site } }, 400, 'properties.recoveryFabricName'],
      ['an unknown recovery fabric', 'PUT', mappingPath(corp.name!, 'corp-to-dr'), { properties: { ...valid.properties, recoveryFabricName: 'nope' } }, 404, 'properties.recoveryFabricName'],
      ["a mapping from a recovery site's network", 'PUT', mappingPath(dr.name!, 'back', p.recovery), valid, 400, 'fabricName'],
      ['an update of an unknown mapping', 'PATCH', mappingPath(corp.name!, 'nope'), valid, 404, 'networkMappingName'],
      ['a mapping name with a quote', 'PUT', mappingPath(corp.name!, "co'rp"), valid, 400, 'networkMappingName'],
      ['an unknown provider', 'GET', `${base}/replicationFabrics/${p.site}/replicationRecoveryServicesProviders/${unknownNetwork}`, undefined, 404, 'providerName'],
      ['a refresh of an unknown provider', 'POST', `${base}/replicationFabrics/${p.site}/replicationRecoveryServicesProviders/${unknownNetwork}/refreshProvider`, undefined, 404, 'providerName'],
      ['a removal of an unknown provider', 'POST', `${base}/replicationFabrics/${p.site}/replicationRecoveryServicesProviders/${unknownNetwork}/remove`, undefined, 404, 'providerName'],
    ];
    for (const [label, method, path, body, status, target] of cases) {
      const response = await armFetch(service, method, path, body === undefined ? {} : { body });
      expect(response.status, label).toBe(status);
      expect(response.json.error, label).toMatchObject({ code: expect.any(String), message: expect.any(String), target });
      if (status === 400) expect(response.json.error.message, label).toContain(target);
    }
    const malformed = await armFetch(service, 'PUT', mappingPath(corp.name!, 'corp-to-dr'), { rawBody: '{"properties": {' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe('InvalidRequestContent');
    const put = await armFetch(service, 'PUT', `${base}/replicationFabrics/${p.site}/replicationRecoveryServicesProviders/x`, { body: { properties: { machineName: 'x' } } });
    expect(put.status).toBe(405);
    expect(put.json.error.message).toContain('reports');
    // A host report naming an adapter's network it does not list is refused and stores nothing.
    const badReport = await report({ hostName: 'hv-host-09', vms: [{ ...vmReport(), nics: [{ networkName: 'nowhere' }] }], networks: [{ name: 'corp' }] });
    expect(badReport.status).toBe(400);
    expect(badReport.json.error.target).toBe('vms.0.nics.0.networkName');
    expect(await snapshot()).toEqual(before);
  });

  it('a test failover and a failover with no network attach the recovery VM to the mapped network, keeping its static address', async () => {
    await p.sr.replicationProtectedItems.beginCreateAndWait(p.vault, p.rg, p.site, p.container, ITEM, enableInput(p, vm), FAST);
    const protectedItem = await waitForItem(p, ITEM, (item) => item.properties?.protectionState === 'Protected' && item.properties.currentScenario?.scenarioName === 'None');
    const details = protectedItem.properties?.providerSpecificDetails as any;
    expect(details.vmNics[0]).toMatchObject({ vMNetworkName: 'corp', recoveryVMNetworkId: drNet, tfoVMNetworkId: drNet, selectionType: 'SelectedByDefault' });
    expect(details.vmNics[0].ipConfigs[0]).toMatchObject({ subnetName: 'app', staticIPAddress: STATIC_IP, ipAddressType: 'Static', recoveryStaticIPAddress: STATIC_IP, tfoStaticIPAddress: STATIC_IP });
    expect((await providerOf(HOST)).properties?.protectedItemCount).toBe(1);

    // The provider of a host with protected VMs cannot be removed or purged: 409 naming the item.
    const provider = await providerOf(HOST);
    for (const call of [() => p.sr.replicationRecoveryServicesProviders.beginDeleteAndWait(p.vault, p.rg, p.site, provider.name!, FAST), () => p.sr.replicationRecoveryServicesProviders.beginPurgeAndWait(p.vault, p.rg, p.site, provider.name!, FAST)]) {
      await expect(call()).rejects.toMatchObject({ statusCode: 409, code: 'ProviderInUse', message: expect.stringContaining(`'${ITEM}'`) });
    }

    const recoverySite = p.services.recoveryVmSite(p.ref, p.recovery);
    // Test failover without a network: the mapped one, the address kept.
    await p.sr.replicationProtectedItems.beginTestFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'VmNetworkAsInput', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
    const testVm = await recoverySite.getVm((await record()).testVm!.vmId);
    expect(testVm?.network).toEqual({ networkId: drNet, subnetName: 'app', ipAddress: STATIC_IP });
    const [tfoJob] = (await jobsOf('TestFailover')).filter((job) => job.properties?.targetObjectName === ITEM);
    expect((await p.sr.replicationJobs.get(p.vault, p.rg, tfoJob!.name!)).properties?.customDetails).toMatchObject({ instanceType: 'TestFailoverJobDetails', networkType: 'VmNetworkAsInput', networkName: 'dr-net' });
    await p.sr.replicationProtectedItems.beginTestFailoverCleanupAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { comments: 'mapped network' } }, FAST);

    // A network named in the request still wins.
    const drill = vnet(p.sub, 'drill-net');
    await p.sr.replicationProtectedItems.beginTestFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'VmNetworkAsInput', networkId: drill, providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
    expect((await recoverySite.getVm((await record()).testVm!.vmId))?.network).toEqual({ networkId: drill, subnetName: 'app', ipAddress: STATIC_IP });
    await p.sr.replicationProtectedItems.beginTestFailoverCleanupAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: {} }, FAST);

    // Failover (no network in the request, none set on the item): the mapped network, the address kept.
    await p.sr.replicationProtectedItems.beginUnplannedFailoverAndWait(p.vault, p.rg, p.site, p.container, ITEM, { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
    const failedOver = await record();
    expect(failedOver.state.activeLocation).toBe('Recovery');
    const recoveryVm = await recoverySite.getVm(failedOver.recoveryVm!.vmId);
    expect(recoveryVm?.powerState).toBe('Running');
    expect(recoveryVm?.network).toEqual({ networkId: drNet, subnetName: 'app', ipAddress: STATIC_IP });

    // Deleting a mapping items rely on is allowed (as in ASR); the job names them as a warning.
    const corp = await networkNamed(p.site, 'corp');
    await p.sr.replicationNetworkMappings.beginDeleteAndWait(p.vault, p.rg, p.site, corp.name!, 'corp-to-dr', FAST);
    const [removal] = await jobsOf('RemoveNetworkMapping', 'corp-to-dr');
    const removalJob = await p.sr.replicationJobs.get(p.vault, p.rg, removal!.name!);
    expect(removalJob.properties).toMatchObject({ state: 'Succeeded', errors: [expect.objectContaining({ errorLevel: 'Warning', serviceErrorDetails: expect.objectContaining({ code: 'NetworkMappingInUse', message: expect.stringContaining(`'${ITEM}'`) }) })] });
    const after = (await p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, ITEM)).properties?.providerSpecificDetails as any;
    expect(after.vmNics[0]).toMatchObject({ vMNetworkName: 'corp', selectionType: 'SelectedByUser' });
    expect(after.vmNics[0].recoveryVMNetworkId).toBeUndefined();
  });

  it('providers leave by remove (unregister) or purge; a removed host that reports again registers again; a silent one cannot be unregistered', async () => {
    const spare = await providerOf(SPARE_HOST);
    await p.sr.replicationRecoveryServicesProviders.beginDeleteAndWait(p.vault, p.rg, p.site, spare.name!, FAST);
    expect((await providers()).map((x) => x.properties?.friendlyName)).toEqual([HOST]);
    expect((await jobsOf('UnregisterDra', SPARE_HOST))[0]?.properties).toMatchObject({ friendlyName: 'Unregister the Azure Site Recovery Provider', state: 'Succeeded' });
    const partition = vaultPartition(p.ref);
    expect(await p.services.plane.repository.get(partition, ROW.siteHost, [p.site, SPARE_HOST])).toBeUndefined();

    expect((await report({ hostName: SPARE_HOST })).status).toBe(200);
    await settled('RegisterDra', SPARE_HOST, 2);
    const again = await providerOf(SPARE_HOST);
    expect(again.name).not.toBe(spare.name);
    await p.sr.replicationRecoveryServicesProviders.beginPurgeAndWait(p.vault, p.rg, p.site, again.name!, FAST);
    expect((await jobsOf('PurgeDra', SPARE_HOST))[0]?.properties?.state).toBe('Succeeded');
    expect((await providers()).map((x) => x.properties?.friendlyName)).toEqual([HOST]);
    // Purging a provider that is gone succeeds (nothing to do).
    await p.sr.replicationRecoveryServicesProviders.beginPurgeAndWait(p.vault, p.rg, p.site, again.name!, FAST);

    // A host that stopped reporting: NotConnected; its refresh fails, its unregistration is refused, a purge removes it.
    const silent = 'hv-host-03';
    expect((await report({ hostName: silent })).status).toBe(200);
    await settled('RegisterDra', silent, 1);
    const row = await p.services.plane.repository.get<SiteHostRecord>(partition, ROW.siteHost, [p.site, silent]);
    await p.services.plane.repository.replace(row!, { ...row!.value, reportedAt: new Date(Date.now() - 3_600_000).toISOString() });
    const stale = await providerOf(silent);
    expect(stale.properties).toMatchObject({ connectionStatus: 'NotConnected', allowedScenarios: [], healthErrorDetails: [expect.objectContaining({ errorCode: 'SiteHostHeartbeatMissing' })] });
    await expect(p.sr.replicationRecoveryServicesProviders.beginRefreshProviderAndWait(p.vault, p.rg, p.site, stale.name!, FAST)).rejects.toThrow(/ProviderNotConnected/);
    await expect(p.sr.replicationRecoveryServicesProviders.beginDeleteAndWait(p.vault, p.rg, p.site, stale.name!, FAST)).rejects.toMatchObject({ statusCode: 409, code: 'ProviderNotConnected' });
    await p.sr.replicationRecoveryServicesProviders.beginPurgeAndWait(p.vault, p.rg, p.site, stale.name!, FAST);
    expect((await providers()).map((x) => x.properties?.friendlyName)).toEqual([HOST]);
  });
});

/** A minimal VM of a raw report. */
function vmReport() {
  return {
    id: 'aa6e1b47-0000-4000-8000-000000000009',
    name: 'raw-01',
    osType: 'Linux',
    generation: 2,
    cpuCount: 1,
    memoryMB: 1024,
    powerState: 'Running',
    disks: [{ id: 'raw-os', name: 'raw-os.vhdx', sizeBytes: MiB, isOsDisk: true, container: 'site-disks', blobName: 'raw/os.vhd' }],
  };
}
