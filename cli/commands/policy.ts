/** `sr policy create|show|list|update|delete`: `HyperVReplicaAzure` replication policies. */
import { type Command } from 'commander';
import type { HyperVReplicaAzurePolicyInput } from '@azure/arm-recoveryservices-siterecovery';
import { collect, group, noWait, verb, wholeNumber, withSession, type CliIo } from '../command.js';
import { nothing, runOperation, type WaitOption } from '../operation.js';
import type { Column } from '../output.js';

interface PolicyFlags {
  name: string;
  replicationInterval?: number;
  recoveryPointRetention?: number;
  appConsistentFrequency?: number;
}

interface HyperVPolicyDetails {
  replicationInterval?: number;
  recoveryPointHistoryDuration?: number;
  applicationConsistentSnapshotFrequencyInHours?: number;
}
const details = (p: Record<string, unknown>): HyperVPolicyDetails => ((p.properties as { providerSpecificDetails?: HyperVPolicyDetails } | undefined)?.providerSpecificDetails ?? {});

const COLUMNS: Column[] = [
  { header: 'Name', value: (p) => p.name },
  { header: 'Interval (s)', value: (p) => details(p).replicationInterval },
  { header: 'Retention (h)', value: (p) => details(p).recoveryPointHistoryDuration },
  { header: 'AppConsistent (h)', value: (p) => details(p).applicationConsistentSnapshotFrequencyInHours },
];

const settingFlags = (command: Command): Command =>
  command
    .option('--replication-interval <seconds>', 'how often changes are copied (5–900 s; default 300)', wholeNumber)
    .option('--recovery-point-retention <hours>', 'how long recovery points are kept (0–720 h; default 2)', wholeNumber)
    .option('--app-consistent-frequency <hours>', 'hours between application-consistent points (0 = none; default 1)', wholeNumber);

function input(o: PolicyFlags): HyperVReplicaAzurePolicyInput {
  return {
    instanceType: 'HyperVReplicaAzure',
    ...(o.replicationInterval === undefined ? {} : { replicationInterval: o.replicationInterval }),
    ...(o.recoveryPointRetention === undefined ? {} : { recoveryPointHistoryDuration: o.recoveryPointRetention }),
    ...(o.appConsistentFrequency === undefined ? {} : { applicationConsistentSnapshotFrequencyInHours: o.appConsistentFrequency }),
  };
}

export function policyCommand(io: CliIo): Command {
  return group('policy', 'Replication policies: how often to copy, how long to keep recovery points.')
    .addCommand(
      noWait(settingFlags(verb('create', 'Create a replication policy.').requiredOption('--name <name>', 'the policy'))).action(
        withSession<PolicyFlags & WaitOption>(io, async (s, o) => {
          const { replicationPolicies } = s.clients.siteRecovery;
          await runOperation(
            s,
            o,
            (options) => replicationPolicies.beginCreate(s.vault(), s.resourceGroup(), o.name, { properties: { providerSpecificInput: input(o) } }, options),
            () => replicationPolicies.get(s.vault(), s.resourceGroup(), o.name),
            COLUMNS,
          );
        }),
      ),
    )
    .addCommand(
      noWait(settingFlags(verb('update', "Change a policy's settings (the items using it follow).").requiredOption('--name <name>', 'the policy'))).action(
        withSession<PolicyFlags & WaitOption>(io, async (s, o) => {
          const { replicationPolicies } = s.clients.siteRecovery;
          await runOperation(
            s,
            o,
            (options) => replicationPolicies.beginUpdate(s.vault(), s.resourceGroup(), o.name, { properties: { replicationProviderSettings: input(o) } }, options),
            () => replicationPolicies.get(s.vault(), s.resourceGroup(), o.name),
            COLUMNS,
          );
        }),
      ),
    )
    .addCommand(
      verb('show', 'Show a policy.')
        .requiredOption('--name <name>', 'the policy')
        .action(withSession<{ name: string }>(io, async (s, o) => s.print(await s.clients.siteRecovery.replicationPolicies.get(s.vault(), s.resourceGroup(), o.name), COLUMNS))),
    )
    .addCommand(verb('list', "List the vault's policies.").action(withSession(io, async (s) => s.print(await collect(s.clients.siteRecovery.replicationPolicies.list(s.vault(), s.resourceGroup())), COLUMNS))))
    .addCommand(
      noWait(verb('delete', 'Delete a policy (refused while a mapping uses it).').requiredOption('--name <name>', 'the policy')).action(
        withSession<{ name: string } & WaitOption>(io, async (s, o) => {
          await runOperation(s, o, (options) => s.clients.siteRecovery.replicationPolicies.beginDelete(s.vault(), s.resourceGroup(), o.name, options), nothing);
        }),
      ),
    );
}
