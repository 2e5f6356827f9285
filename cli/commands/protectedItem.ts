/**
 * `sr protected-item …`: enable protection (`create`), watch, fail over and back, disable
 * (`delete`) — each long operation follows its job unless `--no-wait`.
 */
import { type Command, Option } from 'commander';
import type { HyperVVirtualMachineDetails, PlannedFailoverProviderSpecificFailoverInputUnion, ReplicationProtectedItem } from '@azure/arm-recoveryservices-siterecovery';
import { collect, containerFlags, group, itemFlags, nameOf, noWait, verb, withSession, type CliIo, type ItemOptions } from '../command.js';
import { followJob } from '../jobWatch.js';
import { nothing, runOperation, type BeginOptions, type WaitOption } from '../operation.js';
import type { Column } from '../output.js';
import type { Session } from '../session.js';
import { findProtectableItem } from './protectableItem.js';

interface HyperVItemDetails {
  rpoInSeconds?: number;
  lastRecoveryPointReceived?: string;
  initialReplicationDetails?: { initialReplicationProgressPercentage?: string };
}
const props = (i: Record<string, unknown>): NonNullable<ReplicationProtectedItem['properties']> & Record<string, unknown> => (i.properties ?? {}) as NonNullable<ReplicationProtectedItem['properties']> & Record<string, unknown>;
const hyperV = (i: Record<string, unknown>): HyperVItemDetails => (props(i).providerSpecificDetails ?? {}) as HyperVItemDetails;

/** The columns an operator scans. */
export const ITEM_COLUMNS: Column[] = [
  { header: 'Name', value: (i) => i.name },
  { header: 'State', value: (i) => props(i).protectionStateDescription ?? props(i).protectionState },
  { header: 'Health', value: (i) => props(i).replicationHealth },
  { header: 'RPO', value: (i) => (hyperV(i).rpoInSeconds === undefined ? '' : `${hyperV(i).rpoInSeconds} s`) },
  { header: 'Active', value: (i) => props(i).activeLocation },
  { header: 'LastPoint', value: (i) => hyperV(i).lastRecoveryPointReceived },
  { header: 'TestFailover', value: (i) => props(i).testFailoverStateDescription ?? props(i).testFailoverState },
];

const DIRECTIONS = ['PrimaryToRecovery', 'RecoveryToPrimary'] as const;
type Direction = (typeof DIRECTIONS)[number];

/** `--recovery-point`: as the portal offers it. */
const recoveryPointOption = (): Option =>
  new Option('--recovery-point <point>', 'latest (replicate what is pending first), latest-processed, latest-app-consistent, or a recovery point name or id').default('latest');

/** The `recoveryPointId` a `--recovery-point` value sends (none for latest). */
export function recoveryPointIdOf(value: string | undefined): string | undefined {
  switch ((value ?? 'latest').toLowerCase()) {
    case 'latest':
      return undefined;
    case 'latest-processed':
    case 'latestprocessed':
      return 'LatestProcessed';
    case 'latest-app-consistent':
    case 'latestapplicationconsistent':
      return 'LatestApplicationConsistent';
    default:
      return value;
  }
}

const withPoint = (value: string | undefined): { recoveryPointId?: string } => {
  const id = recoveryPointIdOf(value);
  return id ? { recoveryPointId: id } : {};
};

const failbackFlags = (command: Command): Command =>
  command
    .addOption(new Option('--data-sync-option <option>', 'failback: sync before shutting the recovery VM down (ForSynchronization) or after (ForDownTime)').choices(['ForDownTime', 'ForSynchronization']))
    .addOption(new Option('--recovery-vm-creation-option <option>', 'failback: recreate the original VM when it no longer exists').choices(['CreateVmIfNotFound', 'NoAction']))
    .option('--alternate-provider <id>', 'failback: the Recovery Services provider (Hyper-V host) of another site to create the VM on');

interface FailbackFlags {
  dataSyncOption?: 'ForDownTime' | 'ForSynchronization';
  recoveryVmCreationOption?: 'CreateVmIfNotFound' | 'NoAction';
  alternateProvider?: string;
}

function plannedDetails(direction: Direction, o: FailbackFlags & { recoveryPoint?: string }): PlannedFailoverProviderSpecificFailoverInputUnion {
  if (direction === 'PrimaryToRecovery') return { instanceType: 'HyperVReplicaAzure', ...withPoint(o.recoveryPoint) };
  return {
    instanceType: 'HyperVReplicaAzureFailback',
    ...(o.dataSyncOption ? { dataSyncOption: o.dataSyncOption } : {}),
    ...(o.recoveryVmCreationOption ? { recoveryVmCreationOption: o.recoveryVmCreationOption } : {}),
    ...(o.alternateProvider ? { providerIdForAlternateRecovery: o.alternateProvider } : {}),
  };
}

const getItem = (s: Session, o: ItemOptions): Promise<ReplicationProtectedItem> => s.clients.siteRecovery.replicationProtectedItems.get(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name);

/** An item operation: its flags, and the call that starts it. */
function itemOperation<O extends object>(
  io: CliIo,
  name: string,
  description: string,
  addFlags: (command: Command) => Command,
  begin: (s: Session, o: ItemOptions & O, options: BeginOptions) => Promise<unknown>,
): Command {
  return noWait(addFlags(itemFlags(verb(name, description)))).action(
    withSession<ItemOptions & O & WaitOption>(io, async (s, o) => {
      await runOperation(s, o, (options) => begin(s, o, options), () => getItem(s, o), ITEM_COLUMNS);
    }),
  );
}

const directionOption = (fallback?: Direction): Option => {
  const option = new Option('--direction <direction>', 'the failover direction').choices(DIRECTIONS);
  return fallback ? option.default(fallback) : option;
};

/** `create`: enable protection, then (unless --no-wait) follow initial replication until the item is Protected. */
function createCommand(io: CliIo): Command {
  return noWait(
    itemFlags(verb('create', 'Enable protection for a VM the site reports (alias: enable).'))
      .alias('enable')
      .requiredOption('--policy <name-or-id>', 'the replication policy (its container mapping must exist)')
      .option('--protectable-item <name-or-id>', 'the VM as the site reports it (default: --name)')
      .option('--recovery-vm-size <size>', 'the recovery VM size'),
  ).action(
    withSession<ItemOptions & WaitOption & { policy: string; protectableItem?: string; recoveryVmSize?: string }>(io, async (s, o) => {
      const vm = await findProtectableItem(s, o, o.protectableItem ?? o.name);
      const details = vm.properties?.customDetails as Partial<HyperVVirtualMachineDetails> | undefined;
      const disks = details?.diskDetails ?? [];
      const osDisk = disks.find((d) => d.vhdType === 'OperatingSystem');
      const policyId = o.policy.startsWith('/') ? o.policy : `${s.vaultId()}/replicationPolicies/${o.policy}`;
      const input = {
        properties: {
          policyId,
          protectableItemId: vm.id,
          providerSpecificDetails: {
            instanceType: 'HyperVReplicaAzure' as const,
            hvHostVmId: details?.sourceItemId ?? vm.name,
            vmName: vm.properties?.friendlyName ?? o.name,
            ...(details?.osDetails?.osType ? { osType: details.osDetails.osType } : {}),
            ...(osDisk?.vhdId ? { vhdId: osDisk.vhdId } : {}),
            disksToInclude: disks.flatMap((d) => (d.vhdId ? [d.vhdId] : [])),
            ...(o.recoveryVmSize ? { targetVmSize: o.recoveryVmSize } : {}),
          },
        },
      };
      const items = s.clients.siteRecovery.replicationProtectedItems;
      // Once the enable job is done, initial replication runs as a job of its own: follow it too, to Protected.
      const protectedItem = async (): Promise<ReplicationProtectedItem> => {
        const item = await getItem(s, o);
        const scenario = item.properties?.currentScenario;
        if (item.properties?.protectionState === 'Protected' || !scenario?.jobId || nameOf(scenario.jobId) === 'None') return item;
        await followJob(s, nameOf(scenario.jobId));
        return getItem(s, o);
      };
      await runOperation(s, o, (options) => items.beginCreate(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, input, options), protectedItem, ITEM_COLUMNS);
    }),
  );
}

export function protectedItemCommand(io: CliIo): Command {
  const items = (s: Session) => s.clients.siteRecovery.replicationProtectedItems;
  return group('protected-item', 'Replicated items: protected VMs, their failover and failback.')
    .addCommand(createCommand(io))
    .addCommand(itemFlags(verb('show', 'Show a replicated item.')).action(withSession<ItemOptions>(io, async (s, o) => s.print(await getItem(s, o), ITEM_COLUMNS))))
    .addCommand(
      containerFlags(verb('list', "List a container's replicated items (or, without the container flags, the vault's)."), false).action(
        withSession<Partial<ItemOptions>>(io, async (s, o) => {
          const pages = o.fabricName && o.protectionContainer ? items(s).listByReplicationProtectionContainers(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer) : items(s).list(s.vault(), s.resourceGroup());
          s.print(await collect(pages), ITEM_COLUMNS);
        }),
      ),
    )
    .addCommand(
      itemOperation<{ recoveryVmName?: string; recoveryVmSize?: string; licenseType?: 'NotSpecified' | 'NoLicenseType' | 'WindowsServer' }>(
        io,
        'update',
        "Change the item's recovery settings.",
        (c) => c.option('--recovery-vm-name <name>', 'the recovery VM name').option('--recovery-vm-size <size>', 'the recovery VM size').addOption(new Option('--license-type <type>', 'the license type').choices(['NotSpecified', 'NoLicenseType', 'WindowsServer'])),
        (s, o, options) =>
          items(s).beginUpdate(
            s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name,
            { properties: { ...(o.recoveryVmName ? { recoveryAzureVMName: o.recoveryVmName } : {}), ...(o.recoveryVmSize ? { recoveryAzureVMSize: o.recoveryVmSize } : {}), ...(o.licenseType ? { licenseType: o.licenseType } : {}) } },
            options,
          ),
      ),
    )
    .addCommand(
      noWait(itemFlags(verb('delete', 'Disable protection (alias: disable): replicas and recovery points go, the VM stays.')).alias('disable').option('--purge', 'delete the item outright, without cleaning up (for an item whose site is gone)')).action(
        withSession<ItemOptions & WaitOption & { purge?: boolean }>(io, async (s, o) => {
          await runOperation(s, o, (options) =>
            o.purge
              ? items(s).beginPurge(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, options)
              : items(s).beginDelete(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, { properties: { disableProtectionReason: 'NotSpecified' } }, options),
            nothing,
          );
        }),
      ),
    )
    .addCommand(
      itemOperation<{ direction: Direction; networkId?: string; recoveryPoint?: string }>(
        io,
        'test-failover',
        'Bring a test VM up from a recovery point while replication goes on.',
        (c) => c.addOption(directionOption('PrimaryToRecovery')).option('--network-id <id>', 'the network the test VM joins (default: the one mapped from its source network)').addOption(recoveryPointOption()),
        (s, o, options) =>
          items(s).beginTestFailover(
            s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name,
            { properties: { failoverDirection: o.direction, ...(o.networkId ? { networkType: 'VmNetworkAsInput', networkId: o.networkId } : {}), providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', ...withPoint(o.recoveryPoint) } } },
            options,
          ),
      ),
    )
    .addCommand(
      itemOperation<{ comments?: string }>(
        io,
        'test-failover-cleanup',
        'Delete the test VM and its disks.',
        (c) => c.option('--comments <text>', 'notes on the drill, kept on the job'),
        (s, o, options) => items(s).beginTestFailoverCleanup(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, { properties: { ...(o.comments ? { comments: o.comments } : {}) } }, options),
      ),
    )
    .addCommand(
      itemOperation<{ direction: Direction; recoveryPoint?: string } & FailbackFlags>(
        io,
        'planned-failover',
        'Shut the source down, sync the last changes and bring the VM up on the other side; RecoveryToPrimary is failback.',
        (c) => failbackFlags(c.addOption(directionOption('PrimaryToRecovery')).addOption(recoveryPointOption())),
        (s, o, options) =>
          items(s).beginPlannedFailover(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, { properties: { failoverDirection: o.direction, providerSpecificDetails: plannedDetails(o.direction, o) } }, options),
      ),
    )
    .addCommand(
      itemOperation<FailbackFlags>(
        io,
        'failback',
        'Fail back to the primary site: planned-failover --direction RecoveryToPrimary.',
        failbackFlags,
        (s, o, options) =>
          items(s).beginPlannedFailover(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: plannedDetails('RecoveryToPrimary', o) } }, options),
      ),
    )
    .addCommand(
      itemOperation<{ direction: Direction; recoveryPoint?: string; sourceSiteOperations: 'Required' | 'NotRequired' }>(
        io,
        'unplanned-failover',
        'Fail over now, from a recovery point, when the source is lost.',
        (c) =>
          c
            .addOption(directionOption('PrimaryToRecovery'))
            .addOption(recoveryPointOption())
            .addOption(new Option('--source-site-operations <when>', 'try to shut the source VM down first (Required) or not').choices(['Required', 'NotRequired']).default('NotRequired')),
        (s, o, options) =>
          items(s).beginUnplannedFailover(
            s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name,
            { properties: { failoverDirection: o.direction, sourceSiteOperations: o.sourceSiteOperations, providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', ...withPoint(o.recoveryPoint) } } },
            options,
          ),
      ),
    )
    .addCommand(itemOperation(io, 'commit', 'Commit the failover: the other recovery points go.', (c) => c, (s, o, options) => items(s).beginFailoverCommit(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, options)))
    .addCommand(itemOperation(io, 'cancel-failover', 'Cancel a failover not yet committed.', (c) => c, (s, o, options) => items(s).beginFailoverCancel(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, options)))
    .addCommand(
      itemOperation<{ direction?: Direction }>(
        io,
        'reprotect',
        'Replicate the other way (default: back towards the site the VM is not running at).',
        (c) => c.addOption(directionOption()),
        async (s, o, options) => {
          const direction = o.direction ?? ((await getItem(s, o)).properties?.activeLocation === 'Recovery' ? 'RecoveryToPrimary' : 'PrimaryToRecovery');
          return items(s).beginReprotect(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, { properties: { failoverDirection: direction, providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, options);
        },
      ),
    )
    .addCommand(
      itemOperation<{ recoveryPoint: string }>(
        io,
        'apply-recovery-point',
        'Move the failed-over VM to another recovery point (before commit).',
        (c) => c.requiredOption('--recovery-point <name-or-id>', 'the recovery point'),
        async (s, o, options) => {
          const id = o.recoveryPoint.startsWith('/') ? o.recoveryPoint : `${(await getItem(s, o)).id}/recoveryPoints/${o.recoveryPoint}`;
          return items(s).beginApplyRecoveryPoint(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, { properties: { recoveryPointId: id, providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, options);
        },
      ),
    )
    .addCommand(itemOperation(io, 'repair', 'Resynchronize an item whose replication needs it.', (c) => c, (s, o, options) => items(s).beginRepairReplication(s.vault(), s.resourceGroup(), o.fabricName, o.protectionContainer, o.name, options)));
}
