/**
 * `sr recovery-plan create|show|list|update|delete` and its operations: VMs brought up in ordered
 * groups, with manual, script and runbook actions between them.
 */
import { type Command, Option } from 'commander';
import fs from 'node:fs';
import type { RecoveryPlan, RecoveryPlanGroup } from '@azure/arm-recoveryservices-siterecovery';
import { collect, group, noWait, verb, withSession, type CliIo } from '../command.js';
import { UsageError } from '../errors.js';
import { nothing, runOperation, type BeginOptions, type WaitOption } from '../operation.js';
import type { Column } from '../output.js';
import type { Session } from '../session.js';

const plan = (p: Record<string, unknown>): NonNullable<RecoveryPlan['properties']> => (p.properties ?? {});

const COLUMNS: Column[] = [
  { header: 'Name', value: (p) => p.name },
  { header: 'Groups', value: (p) => plan(p).groups?.length },
  { header: 'Items', value: (p) => plan(p).groups?.reduce((n, g) => n + (g.replicationProtectedItems?.length ?? 0), 0) },
  { header: 'Last', value: (p) => plan(p).currentScenario?.scenarioName ?? plan(p).lastPlannedFailoverTime },
  { header: 'Allowed', value: (p) => plan(p).allowedOperations?.join(',') },
];

interface GroupFlags {
  group?: string[];
  groups?: string;
}

const DIRECTIONS = ['PrimaryToRecovery', 'RecoveryToPrimary'] as const;

/** `--groups <json|@file>` as ASR's `groups`, or each `--group a,b` a boot group of the named items (in order). */
async function groupsOf(s: Session, o: GroupFlags): Promise<RecoveryPlanGroup[]> {
  if (o.groups) {
    const text = o.groups.startsWith('@') ? fs.readFileSync(o.groups.slice(1), 'utf8') : o.groups;
    try {
      return JSON.parse(text) as RecoveryPlanGroup[];
    } catch (error) {
      throw new UsageError(`--groups is not JSON: ${(error as Error).message}`);
    }
  }
  if (!o.group?.length) throw new UsageError('name the plan\'s items: --group <item>[,<item>…] (one per boot group, in order) or --groups <json|@file>.');
  const items = await collect(s.clients.siteRecovery.replicationProtectedItems.list(s.vault(), s.resourceGroup()));
  const idOf = (name: string): string => {
    const item = items.find((i) => i.name?.toLowerCase() === name.toLowerCase() || i.properties?.friendlyName?.toLowerCase() === name.toLowerCase());
    if (!item?.id) throw new UsageError(`--group names '${name}', which is not a replicated item of the vault.`);
    return item.id;
  };
  return [
    { groupType: 'Shutdown' },
    { groupType: 'Failover' },
    ...o.group.map((names): RecoveryPlanGroup => ({ groupType: 'Boot', replicationProtectedItems: names.split(',').map((name) => ({ id: idOf(name.trim()) })) })),
  ];
}

const groupFlags = (c: Command): Command =>
  c
    .option('--group <items>', 'a boot group: replicated items separated by commas (repeat for the next group)', (value: string, previous: string[] = []) => [...previous, value])
    .option('--groups <json>', "ASR's groups as JSON (or @file), with their actions");

const fabricId = (s: Session, idOrName: string): string => (idOrName.startsWith('/') ? idOrName : `${s.vaultId()}/replicationFabrics/${idOrName}`);

/** A plan operation with its flags. */
function planOperation<O extends object>(io: CliIo, name: string, description: string, addFlags: (c: Command) => Command, begin: (s: Session, o: { name: string } & O, options: BeginOptions) => Promise<unknown>): Command {
  return noWait(addFlags(verb(name, description).requiredOption('--name <plan>', 'the recovery plan'))).action(
    withSession<{ name: string } & O & WaitOption>(io, async (s, o) => {
      await runOperation(s, o, (options) => begin(s, o, options), () => s.clients.siteRecovery.replicationRecoveryPlans.get(s.vault(), s.resourceGroup(), o.name), COLUMNS);
    }),
  );
}

const direction = (fallback: (typeof DIRECTIONS)[number]): Option => new Option('--direction <direction>', 'the failover direction').choices(DIRECTIONS).default(fallback);
const pointType = (): Option => new Option('--recovery-point-type <type>', "which point each VM fails over to").choices(['Latest', 'LatestProcessed', 'LatestApplicationConsistent']);
const details = (type: string | undefined) => (type ? [{ instanceType: 'HyperVReplicaAzure' as const, recoveryPointType: type }] : undefined);

export function recoveryPlanCommand(io: CliIo): Command {
  const plans = (s: Session) => s.clients.siteRecovery.replicationRecoveryPlans;
  type Dir = { direction: (typeof DIRECTIONS)[number]; recoveryPointType?: string };
  return group('recovery-plan', 'Recovery plans: VMs failed over together, group by group.')
    .addCommand(
      planOperation<GroupFlags & { primaryFabric: string; recoveryFabric: string }>(
        io,
        'create',
        'Create a recovery plan.',
        (c) => groupFlags(c.requiredOption('--primary-fabric <name-or-id>', 'the Hyper-V site').requiredOption('--recovery-fabric <name-or-id>', 'the recovery site')),
        async (s, o, options) =>
          plans(s).beginCreate(s.vault(), s.resourceGroup(), o.name, { properties: { primaryFabricId: fabricId(s, o.primaryFabric), recoveryFabricId: fabricId(s, o.recoveryFabric), failoverDeploymentModel: 'NotApplicable', groups: await groupsOf(s, o) } }, options),
      ),
    )
    .addCommand(planOperation<GroupFlags>(io, 'update', "Replace the plan's groups.", groupFlags, async (s, o, options) => plans(s).beginUpdate(s.vault(), s.resourceGroup(), o.name, { properties: { groups: await groupsOf(s, o) } }, options)))
    .addCommand(verb('show', 'Show a recovery plan.').requiredOption('--name <plan>', 'the recovery plan').action(withSession<{ name: string }>(io, async (s, o) => s.print(await plans(s).get(s.vault(), s.resourceGroup(), o.name), COLUMNS))))
    .addCommand(verb('list', "List the vault's recovery plans.").action(withSession(io, async (s) => s.print(await collect(plans(s).list(s.vault(), s.resourceGroup())), COLUMNS))))
    .addCommand(noWait(verb('delete', 'Delete a recovery plan (its items stay protected).').requiredOption('--name <plan>', 'the recovery plan')).action(withSession<{ name: string } & WaitOption>(io, async (s, o) => runOperation(s, o, (options) => plans(s).beginDelete(s.vault(), s.resourceGroup(), o.name, options), nothing))))
    .addCommand(
      planOperation<Dir & { networkId?: string }>(
        io,
        'test-failover',
        "Test failover of the plan's VMs, group by group.",
        (c) => c.addOption(direction('PrimaryToRecovery')).option('--network-id <id>', 'the network the test VMs join (default: each VM\'s mapped network)').addOption(pointType()),
        (s, o, options) =>
          plans(s).beginTestFailover(
            s.vault(), s.resourceGroup(), o.name,
            { properties: { failoverDirection: o.direction, networkType: o.networkId ? 'VmNetworkAsInput' : 'UsePreConfiguredNetworks', ...(o.networkId ? { networkId: o.networkId } : {}), ...(details(o.recoveryPointType) ? { providerSpecificDetails: details(o.recoveryPointType) } : {}) } },
            options,
          ),
      ),
    )
    .addCommand(planOperation<{ comments?: string }>(io, 'test-failover-cleanup', "Delete the plan's test VMs.", (c) => c.option('--comments <text>', 'notes on the drill'), (s, o, options) => plans(s).beginTestFailoverCleanup(s.vault(), s.resourceGroup(), o.name, { properties: { ...(o.comments ? { comments: o.comments } : {}) } }, options)))
    .addCommand(
      planOperation<Dir>(io, 'planned-failover', "Planned failover (or, RecoveryToPrimary, failback) of the plan's VMs.", (c) => c.addOption(direction('PrimaryToRecovery')).addOption(pointType()), (s, o, options) =>
        plans(s).beginPlannedFailover(
          s.vault(), s.resourceGroup(), o.name,
          { properties: { failoverDirection: o.direction, ...(o.direction === 'RecoveryToPrimary' ? { providerSpecificDetails: [{ instanceType: 'HyperVReplicaAzureFailback' as const }] } : details(o.recoveryPointType) ? { providerSpecificDetails: details(o.recoveryPointType) } : {}) } },
          options,
        ),
      ),
    )
    .addCommand(
      planOperation<Dir & { sourceSiteOperations: 'Required' | 'NotRequired' }>(
        io,
        'unplanned-failover',
        "Unplanned failover of the plan's VMs.",
        (c) => c.addOption(direction('PrimaryToRecovery')).addOption(pointType()).addOption(new Option('--source-site-operations <when>', 'shut the source VMs down first (Required) or not').choices(['Required', 'NotRequired']).default('NotRequired')),
        (s, o, options) =>
          plans(s).beginUnplannedFailover(s.vault(), s.resourceGroup(), o.name, { properties: { failoverDirection: o.direction, sourceSiteOperations: o.sourceSiteOperations, ...(details(o.recoveryPointType) ? { providerSpecificDetails: details(o.recoveryPointType) } : {}) } }, options),
      ),
    )
    .addCommand(planOperation(io, 'commit', "Commit the plan's failover.", (c) => c, (s, o, options) => plans(s).beginFailoverCommit(s.vault(), s.resourceGroup(), o.name, options)))
    .addCommand(planOperation(io, 'cancel-failover', "Cancel the plan's failover.", (c) => c, (s, o, options) => plans(s).beginFailoverCancel(s.vault(), s.resourceGroup(), o.name, options)))
    .addCommand(planOperation(io, 'reprotect', "Re-protect the plan's VMs the other way.", (c) => c, (s, o, options) => plans(s).beginReprotect(s.vault(), s.resourceGroup(), o.name, options)));
}

