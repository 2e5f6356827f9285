/**
 * Protect a VM and fail it over and back, start to finish, with the official Azure SDK clients
 * (`@azure/arm-recoveryservices` and `@azure/arm-recoveryservices-siterecovery`) — the Azure Site
 * Recovery lifecycle an operator runs, against this service instead of Azure:
 *
 *   1. prepare infrastructure: resource group, vault, the Hyper-V site and the recovery site (the
 *      fabrics), a replication policy and the container mapping that applies it;
 *   2. fetch the vault's registration key and add a VM on the local Hyper-V site with the site CLI,
 *      which reports the host's inventory to the service with that key;
 *   3. wait for the VM to show as a protectable item, enable protection, wait for Protected;
 *   4. test failover, then its cleanup; planned failover, commit; re-protect (recovery → primary);
 *      failback (a planned failover back), commit; disable protection.
 *
 * Run it against a local service (`npm start` in another terminal, which builds `dist/`):
 *
 *   node dist/examples/protectAndFailOver.js --endpoint http://localhost:7071/api [--key <function key>]
 *
 * The endpoint and key may also come from `SR_ENDPOINT` and `SR_KEY`. The site CLI keeps the VM's
 * disks in `HyperVSiteStorage` (else `AzureWebJobsStorage`, else Azurite's development account):
 * give this script the same storage settings as the service. `--help` lists the names it uses.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify, parseArgs } from 'node:util';
import type { TokenCredential } from '@azure/core-auth';
import { createHttpHeaders, createPipelineRequest, isRestError, RestError, type Pipeline, type PipelineResponse } from '@azure/core-rest-pipeline';
import { RecoveryServicesClient } from '@azure/arm-recoveryservices';
import {
  SiteRecoveryManagementClient,
  type ConfigurationSettingsUnion,
  type FabricSpecificCreationInput,
  type HyperVVirtualMachineDetails,
  type ProtectableItem,
  type ReplicationProtectedItem,
} from '@azure/arm-recoveryservices-siterecovery';

const HELP = `Usage: node dist/examples/protectAndFailOver.js [options]

  --endpoint <url>        the service's API base (env SR_ENDPOINT; default http://localhost:7071/api)
  --key <key>             its function key, sent as x-functions-key (env SR_KEY; default none)
  --subscription <id>     default 00000000-0000-0000-0000-000000000000
  --resource-group <name> default example-rg
  --vault <name>          default example-vault
  --site <name>           the Hyper-V site's fabric (default hyperv-site)
  --recovery-site <name>  the recovery site's fabric (default recovery-site)
  --policy <name>         default example-policy (its mapping: <policy>-mapping)
  --vm <name>             the VM to add and protect (default example-vm-01)
  --disk <size>           its disk (default 16MiB)
  --interval <seconds>    the policy's replication interval (default 5)
  --timeout <seconds>     how long to wait for any one step (default 300)`;

const options = {
    endpoint: { type: 'string', default: process.env.SR_ENDPOINT ?? 'http://localhost:7071/api' },
    key: { type: 'string', default: process.env.SR_KEY ?? '' },
    subscription: { type: 'string', default: '00000000-0000-0000-0000-000000000000' },
    'resource-group': { type: 'string', default: 'example-rg' },
    vault: { type: 'string', default: 'example-vault' },
    site: { type: 'string', default: 'hyperv-site' },
    'recovery-site': { type: 'string', default: 'recovery-site' },
    policy: { type: 'string', default: 'example-policy' },
    vm: { type: 'string', default: 'example-vm-01' },
    disk: { type: 'string', default: '16MiB' },
    interval: { type: 'string', default: '5' },
    timeout: { type: 'string', default: '300' },
    help: { type: 'boolean', default: false },
} as const;

function parseOptions() {
  try {
    return parseArgs({ options }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${HELP}`);
    process.exit(2);
  }
}

const args = parseOptions();
if (args.help) {
  console.log(HELP);
  process.exit(0);
}

function seconds(name: 'interval' | 'timeout'): number {
  const value = Number(args[name]);
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`--${name} must be a whole number of seconds, not '${args[name]}'.`);
    process.exit(2);
  }
  return value;
}

const endpoint = args.endpoint.replace(/\/+$/, '');
const key = args.key || undefined;
const subscriptionId = args.subscription;
const resourceGroup = args['resource-group'];
const vaultName = args.vault;
const siteFabric = args.site;
const recoveryFabric = args['recovery-site'];
const policyName = args.policy;
const vmName = args.vm;
const intervalSeconds = seconds('interval');
const timeoutMs = seconds('timeout') * 1000;

// The service names each fabric's one protection container after it.
const siteContainer = `${siteFabric}-container`;
const recoveryContainer = `${recoveryFabric}-container`;
const vaultId = `/subscriptions/${subscriptionId}/resourceGroups/${resourceGroup}/providers/Microsoft.RecoveryServices/vaults/${vaultName}`;

// ---------------------------------------------------------------------------------------------
// The clients. They authenticate with a bearer token, which their pipeline sends over https only;
// this service takes a function key instead. So: drop the bearer-token policy, add one that sends
// the key in `x-functions-key` and lets the request go over plain http to the local service.
// ---------------------------------------------------------------------------------------------

/** Never asked for a token: its policy is removed below. */
const noCredential: TokenCredential = { getToken: () => Promise.resolve(null) };

function useFunctionKey(client: { pipeline: Pipeline }): void {
  client.pipeline.removePolicy({ name: 'bearerTokenAuthenticationPolicy' });
  client.pipeline.addPolicy({
    name: 'functionKey',
    sendRequest: (request, next) => {
      if (key) request.headers.set('x-functions-key', key);
      request.allowInsecureConnection = true;
      return next(request);
    },
  });
}

const clientOptions = { endpoint, $host: endpoint };
const recoveryServices = new RecoveryServicesClient(noCredential, subscriptionId, clientOptions);
const siteRecovery = new SiteRecoveryManagementClient(noCredential, subscriptionId, clientOptions);
useFunctionKey(recoveryServices);
useFunctionKey(siteRecovery);

/** Long-running operations: poll twice a second (the SDK's default is 30 s, Azure's pace). */
const poll = { updateIntervalInMs: 500 };

/**
 * A request the SDK has no method for (resource groups belong to another client; the registration
 * key is this service's), sent through the Recovery Services client's pipeline so it carries the key.
 * Answers other than `ok` (and 404 when `ok` includes it) throw, as the SDK's methods do.
 */
async function armRequest(method: 'GET' | 'PUT' | 'POST', path: string, apiVersion: string, { body, ok = [200, 201] }: { body?: object; ok?: number[] } = {}): Promise<PipelineResponse> {
  const request = createPipelineRequest({
    url: `${endpoint}${path}?api-version=${apiVersion}`,
    method,
    headers: createHttpHeaders({ 'content-type': 'application/json' }),
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const response = await recoveryServices.sendRequest(request);
  if (!ok.includes(response.status)) throw new RestError(`${method} ${path}: HTTP ${response.status} ${response.bodyAsText ?? ''}`, { statusCode: response.status, request, response });
  return response;
}

// ---------------------------------------------------------------------------------------------
// Output: one line per step, with how long it took.
// ---------------------------------------------------------------------------------------------

const STEPS = 19;
let stepNumber = 0;
const started = Date.now();

async function step<T>(title: string, run: () => Promise<T>, describe: (result: T) => string): Promise<T> {
  stepNumber++;
  const since = Date.now();
  const result = await run();
  const took = ((Date.now() - since) / 1000).toFixed(1);
  console.log(`[${String(stepNumber).padStart(2)}/${STEPS}] ${title.padEnd(24)} ${describe(result)} (${took} s)`);
  return result;
}

/** Polls `read` once a second until it returns something; fails after the step timeout. */
async function waitFor<T>(what: string, read: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const isHyperVVm = (details: ConfigurationSettingsUnion | undefined): details is HyperVVirtualMachineDetails => details?.instanceType === 'HyperVVirtualMachine';

// The SDK's fabric creation input lists Azure, InMageRcm and VMwareV2 but not the Hyper-V site
// fabric ASR creates for Hyper-V hosts without VMM ('HyperVSite'); the service takes it.
const hyperVSiteType: string = 'HyperVSite';
const hyperVSite = { instanceType: hyperVSiteType as FabricSpecificCreationInput['instanceType'] };

// The protected item's operations all take the same first five arguments.
const item = [vaultName, resourceGroup, siteFabric, siteContainer, vmName] as const;

/** The protected item once it is Protected (replicating, with recovery points), else undefined. */
async function protectedItem(): Promise<ReplicationProtectedItem | undefined> {
  const current = await siteRecovery.replicationProtectedItems.get(...item);
  return current.properties?.protectionState === 'Protected' ? current : undefined;
}

/** The item's protection state (ASR's name, and its description when that says more) and where the VM runs. */
const stateOf = (current: ReplicationProtectedItem): string => {
  const p = current.properties;
  const description = p?.protectionStateDescription && p.protectionStateDescription !== p.protectionState ? ` ("${p.protectionStateDescription}")` : '';
  return `${p?.protectionState}${description}, active location ${p?.activeLocation}`;
};

async function main(): Promise<void> {
  console.log(`Azure Site Recovery walkthrough against ${endpoint}: VM ${vmName} in vault ${vaultName}`);

  // 1. Infrastructure ------------------------------------------------------------------------
  await step(
    'Resource group',
    async () => {
      const path = `/subscriptions/${subscriptionId}/resourcegroups/${resourceGroup}`;
      const existing = await armRequest('GET', path, '2021-04-01', { ok: [200, 404] });
      if (existing.status === 200) return 'exists';
      await armRequest('PUT', path, '2021-04-01', { body: { location: 'local' } });
      return 'created';
    },
    (outcome) => `${resourceGroup} ${outcome}`,
  );

  await step(
    'Vault',
    () => recoveryServices.vaults.beginCreateOrUpdateAndWait(resourceGroup, vaultName, { location: 'local', sku: { name: 'Standard' }, properties: {} }, poll),
    (vault) => `${vault.name} (${vault.properties?.provisioningState})`,
  );

  await step(
    'Hyper-V site',
    () => siteRecovery.replicationFabrics.beginCreateAndWait(vaultName, resourceGroup, siteFabric, { properties: { customDetails: hyperVSite } }, poll),
    (fabric) => `fabric ${fabric.name} (${fabric.properties?.customDetails?.instanceType}), container ${siteContainer}`,
  );

  await step(
    'Recovery site',
    () => siteRecovery.replicationFabrics.beginCreateAndWait(vaultName, resourceGroup, recoveryFabric, { properties: { customDetails: { instanceType: 'Azure', location: 'local' } } }, poll),
    (fabric) => `fabric ${fabric.name} (${fabric.properties?.customDetails?.instanceType}), container ${recoveryContainer}`,
  );

  const policy = await step(
    'Replication policy',
    () =>
      siteRecovery.replicationPolicies.beginCreateAndWait(
        vaultName,
        resourceGroup,
        policyName,
        {
          properties: {
            providerSpecificInput: {
              instanceType: 'HyperVReplicaAzure',
              replicationInterval: intervalSeconds, // seconds between copies (ASR offers 30, 300, 900)
              recoveryPointHistoryDuration: 24, // hours of recovery points kept
              applicationConsistentSnapshotFrequencyInHours: 0, // no app-consistent points
            },
          },
        },
        poll,
      ),
    (created) => `${created.name}: copy every ${intervalSeconds} s, keep 24 h of recovery points`,
  );
  const policyId = policy.id!;

  await step(
    'Container mapping',
    () =>
      siteRecovery.replicationProtectionContainerMappings.beginCreateAndWait(
        vaultName,
        resourceGroup,
        siteFabric,
        siteContainer,
        `${policyName}-mapping`,
        { properties: { targetProtectionContainerId: `${vaultId}/replicationFabrics/${recoveryFabric}/replicationProtectionContainers/${recoveryContainer}`, policyId } },
        poll,
      ),
    (mapping) => `${siteContainer} → ${recoveryContainer} with ${policyName} (${mapping.properties?.state})`,
  );

  // 2. The VM on the Hyper-V site ----------------------------------------------------------------
  const registrationKey = await step(
    'Registration key',
    async () => {
      const response = await armRequest('POST', `${vaultId}/listRegistrationKey`, '2023-06-01');
      const body: unknown = JSON.parse(response.bodyAsText ?? '{}');
      if (typeof body !== 'object' || body === null || !('registrationKey' in body) || typeof body.registrationKey !== 'string') {
        throw new Error(`listRegistrationKey answered without a key: ${response.bodyAsText ?? ''}`);
      }
      return body.registrationKey;
    },
    () => "fetched: the site's hosts present it when they report",
  );

  await step(
    'Add VM (site CLI)',
    async () => {
      // The site CLI plays the Hyper-V host: it creates the VM's disks in the site's storage and
      // reports the host's inventory to the service (which takes the API base without `/api`).
      const siteCli = fileURLToPath(new URL('../scripts/site.js', import.meta.url));
      const site = ['--vault-id', vaultId, '--fabric', siteFabric, '--service', endpoint.replace(/\/api$/, ''), '--registration-key', registrationKey];
      const run = (...command: string[]) => promisify(execFile)(process.execPath, [siteCli, ...command, ...site], { env: process.env });
      const listed: unknown = JSON.parse((await run('list', '--json')).stdout);
      if (Array.isArray(listed) && listed.some((vm: { name?: unknown }) => vm.name === vmName)) {
        await run('report');
        return `${vmName} is already on ${siteFabric}; inventory reported`;
      }
      await run('add-vm', '--name', vmName, '--disk', args.disk, '--fill', 'random:0.5');
      return `${vmName} added on ${siteFabric} with a ${args.disk} disk, inventory reported`;
    },
    (outcome) => outcome,
  );

  const protectable = await step(
    'Protectable item',
    // A host reports its inventory when it changes and every few minutes; the VM shows once reported.
    () =>
      waitFor(`${vmName} among the protectable items`, async () => {
        for await (const candidate of siteRecovery.replicationProtectableItems.listByReplicationProtectionContainers(vaultName, resourceGroup, siteFabric, siteContainer)) {
          if (candidate.properties?.friendlyName === vmName) return candidate;
        }
        return undefined;
      }),
    (found) => `${vmName} reported as ${found.name} (${found.properties?.protectionStatus})`,
  );

  // 3. Protection --------------------------------------------------------------------------------
  await step(
    'Enable protection',
    () => siteRecovery.replicationProtectedItems.beginCreateAndWait(...item, enableInput(protectable, policyId), poll),
    (enabled) => `${enabled.name}: ${enabled.properties?.protectionState} (initial replication runs as its own job)`,
  );

  await step(
    'Initial replication',
    () => waitFor('initial replication', protectedItem),
    (current) => `${current.properties?.protectionState}, health ${current.properties?.replicationHealth}`,
  );

  // 4. Test failover, failover, failback ---------------------------------------------------------
  await step(
    'Test failover',
    () =>
      siteRecovery.replicationProtectedItems.beginTestFailoverAndWait(
        ...item,
        // An isolated test VM (no network attached) from the latest recovery point; replication goes on.
        { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'NoNetworkAttachAsInput', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } },
        poll,
      ),
    (tested) => `test VM running; test failover ${tested.properties?.testFailoverState}`,
  );

  await step(
    'Test failover cleanup',
    () => siteRecovery.replicationProtectedItems.beginTestFailoverCleanupAndWait(...item, { properties: { comments: 'Drill passed.' } }, poll),
    (cleaned) => `test VM removed; test failover ${cleaned.properties?.testFailoverState}`,
  );

  await step(
    'Planned failover',
    () =>
      siteRecovery.replicationProtectedItems.beginPlannedFailoverAndWait(
        ...item,
        // Shuts the VM down, replicates the last changes (nothing is lost) and starts it at the recovery site.
        { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } },
        poll,
      ),
    stateOf,
  );

  await step('Commit', () => siteRecovery.replicationProtectedItems.beginFailoverCommitAndWait(...item, poll), stateOf);

  await step(
    'Re-protect',
    () =>
      siteRecovery.replicationProtectedItems.beginReprotectAndWait(
        ...item,
        // Replicate back from the recovery site to the Hyper-V site (only what differs is sent).
        { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } },
        poll,
      ),
    (reprotected) => `${stateOf(reprotected)}, replicating recovery → primary`,
  );

  await step(
    'Failback',
    () =>
      siteRecovery.replicationProtectedItems.beginPlannedFailoverAndWait(
        ...item,
        // A planned failover back to the Hyper-V site, onto the original VM.
        { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: { instanceType: 'HyperVReplicaAzureFailback', dataSyncOption: 'ForSynchronization', recoveryVmCreationOption: 'NoAction' } } },
        poll,
      ),
    stateOf,
  );

  await step(
    'Commit failback',
    async () => {
      await siteRecovery.replicationProtectedItems.beginFailoverCommitAndWait(...item, poll);
      // After the commit, protection towards the recovery site resumes by itself.
      return waitFor('protection to resume', protectedItem);
    },
    (resumed) => `${stateOf(resumed)}, replicating primary → recovery again`,
  );

  await step(
    'Disable protection',
    async () => {
      await siteRecovery.replicationProtectedItems.beginDeleteAndWait(...item, { properties: { disableProtectionReason: 'NotSpecified' } }, poll);
      return siteRecovery.replicationProtectableItems.get(vaultName, resourceGroup, siteFabric, siteContainer, protectable.name!);
    },
    (vm) => `item ${vmName} removed; the VM is ${vm.properties?.protectionStatus} and stays on ${siteFabric}`,
  );

  console.log(`Done in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
}

/** The enable-protection body for a protectable Hyper-V VM: its id, its OS disk and all its disks. */
function enableInput(protectable: ProtectableItem, policyId: string) {
  const vm = protectable.properties?.customDetails;
  if (!isHyperVVm(vm)) throw new Error(`${protectable.name} is not a Hyper-V VM.`);
  const disks = vm.diskDetails ?? [];
  return {
    properties: {
      policyId,
      protectableItemId: protectable.id,
      providerSpecificDetails: {
        instanceType: 'HyperVReplicaAzure' as const,
        hvHostVmId: vm.sourceItemId,
        vmName,
        osType: vm.osDetails?.osType,
        vhdId: disks.find((disk) => disk.vhdType === 'OperatingSystem')?.vhdId,
        disksToInclude: disks.flatMap((disk) => (disk.vhdId ? [disk.vhdId] : [])),
        targetAzureVmName: vmName,
      },
    },
  };
}

main().catch((error: unknown) => {
  const hint = isRestError(error) && error.statusCode === 401 ? ' (the service wants its function key: --key or SR_KEY)' : '';
  console.error(`Failed at step ${stepNumber}: ${error instanceof Error ? error.message : String(error)}${hint}`);
  process.exit(1);
});
