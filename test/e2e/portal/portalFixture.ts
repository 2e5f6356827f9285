/**
 * What the console's browser tests look at: a host (keys enforced) with a prepared vault, three small
 * protected VMs (`web-01`, `app-01`, `db-01`, two 1 MiB disks each; the first recovery point
 * application-consistent, the later ones crash-consistent), and a recovery plan of `db-01` whose
 * test failover fails (its runbook action is never answered, so it times out).
 */
import { startService, type Service } from '../../support/clients.js';
import { vaultPath } from '../infra/infraFixture.js';
import { enableInput, FAST, MiB, prepareProtection, waitForItem, type ProtectionVault } from '../protection/protectionFixture.js';

export const ITEM_NAMES = ['web-01', 'app-01', 'db-01'] as const;
/** The item whose plan's test failover fails. */
export const PLAN_ITEM = 'db-01';
export const FAILING_PLAN = 'nobody-answers';

export interface PortalVault {
  service: Service;
  p: ProtectionVault;
  /** The console's address on the host. */
  portalUrl: string;
  /** The plan's failing test failover, started (resolves once the service admitted it). */
  failingPlanStarted: Promise<unknown>;
}

/** Starts the host, prepares the vault and protects the VMs; resolves once every item is Protected. */
export async function preparePortalVault(): Promise<PortalVault> {
  const service = await startService();
  // Every 5 s; application-consistent every hour: the first point is application-consistent.
  const p = await prepareProtection(service, 5, 1);
  const disks = [
    { sizeBytes: MiB, isOsDisk: true, contents: { kind: 'random' as const, fraction: 0.5 } },
    { sizeBytes: MiB, contents: { kind: 'random' as const, fraction: 0.5 } },
  ];
  const vms = await p.addVms(ITEM_NAMES.map((name) => ({ name, disks })));
  await Promise.all(
    vms.map(async (vm) => {
      await p.sr.replicationProtectedItems.beginCreateAndWait(p.vault, p.rg, p.site, p.container, vm.name, enableInput(p, vm), FAST);
      await waitForItem(p, vm.name, (item) => item.properties?.protectionState === 'Protected');
    }),
  );
  const fabricId = `${vaultPath(p.sub, p.rg, p.vault)}/replicationFabrics/${p.site}`;
  const itemId = `${fabricId}/replicationProtectionContainers/${p.container}/replicationProtectedItems/${PLAN_ITEM}`;
  await p.sr.replicationRecoveryPlans.beginCreateAndWait(
    p.vault,
    p.rg,
    FAILING_PLAN,
    {
      properties: {
        primaryFabricId: fabricId,
        recoveryFabricId: 'Microsoft Azure',
        groups: [
          {
            groupType: 'Boot',
            replicationProtectedItems: [{ id: itemId }],
            endGroupActions: [
              {
                actionName: 'unanswered runbook',
                failoverTypes: ['TestFailover'],
                failoverDirections: ['PrimaryToRecovery'],
                customDetails: { instanceType: 'AutomationRunbookActionDetails', runbookId: 'unanswered-runbook', timeout: 'PT2S', fabricLocation: 'Recovery' },
              },
            ],
          },
        ],
      },
    },
    FAST,
  );
  const failingPlanStarted = p.sr.replicationRecoveryPlans.beginTestFailover(p.vault, p.rg, FAILING_PLAN, {
    properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'NoNetworkAttachAsInput', providerSpecificDetails: [{ instanceType: 'HyperVReplicaAzure' }] },
  });
  return { service, p, portalUrl: `${service.baseUrl}/portal/`, failingPlanStarted };
}
