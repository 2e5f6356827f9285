/**
 * Recovery plans through the official client: bad plans refused; a plan of three boot groups with a
 * manual action in the second runs test failover (suspends, resumes, groups strictly in order),
 * cleanup, unplanned failover, commit, re-protect, failback and commit, every VM's bytes compared;
 * a planned failover shuts every source VM down before any data moves; runbook actions answered by
 * a worker on the queue, and one left unanswered (timeout, then restart); script actions against a
 * local HTTP server; a VM that fails in group 2 fails the job and a restart finishes it without
 * redoing group 1.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Job, RecoveryPlan, ReplicationProtectedItem } from '@azure/arm-recoveryservices-siterecovery';
import { QueueClient } from '@azure/storage-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNBOOK_REPLIES_QUEUE } from '../../../shared/plans/runbookQueues.js';
import type { HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import type { SiteVm } from '../../../shared/site/types.js';
import { startService, type Service } from '../../support/clients.js';
import { armFetch, vaultPath } from '../infra/infraFixture.js';
import { itemView, protectNewVm, type ItemView } from '../lifecycle/lifecycleFixture.js';
import { FAST, MiB, prepareProtection, waitForItem, type ProtectionVault } from '../protection/protectionFixture.js';

const NAMES = ['web-01', 'app-01', 'app-02', 'db-01'] as const;

describe('recovery plans', () => {
  let service: Service;
  let p: ProtectionVault;
  let recoverySite: HyperVSite;
  let scriptServer: Server;
  const scriptCalls: unknown[] = [];
  const vms = new Map<string, SiteVm>();
  const views = new Map<string, ItemView>();
  const view = (name: string): ItemView => views.get(name)!;
  const itemId = (name: string) => `${vaultPath(p.sub, p.rg, p.vault)}/replicationFabrics/${p.site}/replicationProtectionContainers/${p.container}/replicationProtectedItems/${name}`;
  const boot = (names: readonly string[], extra: Record<string, unknown> = {}) => ({ groupType: 'Boot' as const, replicationProtectedItems: names.map((name) => ({ id: itemId(name), virtualMachineId: vms.get(name)!.id })), ...extra });
  const primaryFabricId = () => `${vaultPath(p.sub, p.rg, p.vault)}/replicationFabrics/${p.site}`;
  const scriptUrl = () => `http://127.0.0.1:${(scriptServer.address() as AddressInfo).port}/hooks/after-boot`;
  const manual = (failoverTypes: string[]) => ({ actionName: 'Check the web tier', failoverTypes, failoverDirections: ['PrimaryToRecovery'], customDetails: { instanceType: 'ManualActionDetails', description: 'Open the site and check it answers.' } });
  const items = () => Promise.all(NAMES.map((name) => p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, name)));
  const job = (jobName: string) => p.sr.replicationJobs.get(p.vault, p.rg, jobName);
  const jobOfPlan = async (plan: string): Promise<string> => (await p.sr.replicationRecoveryPlans.get(p.vault, p.rg, plan)).properties!.currentScenario!.jobId!.split('/').at(-1)!;
  const waitForJob = async (jobName: string, states: string[], timeoutMs = 90_000): Promise<Job> => {
    const deadline = Date.now() + timeoutMs;
    let last: Job | undefined;
    while (Date.now() < deadline) {
      last = await job(jobName);
      if (states.includes(last.properties?.state ?? '')) return last;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`job ${jobName} not in ${states.join('/')}: ${JSON.stringify(last?.properties?.state)} ${JSON.stringify(last?.properties?.errors)}\n${p.service.output().slice(-2000)}`);
  };
  /** Group tasks' [start, end] in order; each group starts only after the one before ended. */
  const expectGroupsInOrder = (done: Job) => {
    const tasks = done.properties?.tasks ?? [];
    expect(tasks.map((task) => task.name)).toEqual(['All groups shutdown', 'All groups failover', 'Group 1: Start', 'Group 2: Start', 'Group 3: Start']);
    for (let i = 1; i < tasks.length; i++) expect(tasks[i]!.startTime!.getTime()).toBeGreaterThanOrEqual(tasks[i - 1]!.endTime!.getTime());
    for (const task of tasks) expect(task.state).toBe('Succeeded');
  };

  beforeAll(async () => {
    scriptServer = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        scriptCalls.push(JSON.parse(body) as unknown);
        response.writeHead(request.url === '/hooks/fail' ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => scriptServer.listen(0, '127.0.0.1', resolve));
    service = await startService({ env: { RecoveryPlanScriptHosts: `127.0.0.1:${(scriptServer.address() as AddressInfo).port}`, RecoveryPlanParallelism: '2' } });
    p = await prepareProtection(service, 5);
    recoverySite = p.services.recoveryVmSite(p.ref, p.recovery);
    for (const name of NAMES) {
      const vm = await protectNewVm(p, name, [1 * MiB, 512 * 1024]);
      vms.set(name, vm);
      views.set(name, itemView(p, name, vm));
    }
  });

  afterAll(async () => {
    await service?.stop();
    await new Promise((resolve) => scriptServer?.close(resolve));
  });

  it('refuses bad plans with a 400 naming the field, and creates nothing', async () => {
    const path = `${vaultPath(p.sub, p.rg, p.vault)}/replicationRecoveryPlans/bad`;
    const put = (groups: unknown[]) => armFetch(service, 'PUT', path, { body: { properties: { primaryFabricId: primaryFabricId(), recoveryFabricId: 'Microsoft Azure', groups } } });
    const eight = await put(Array.from({ length: 8 }, (_, i) => ({ groupType: 'Boot', replicationProtectedItems: i === 0 ? [{ id: itemId('web-01') }] : [] })));
    expect([eight.status, eight.json.error.target]).toEqual([400, 'properties.groups']);
    const twice = await put([boot(['web-01']), boot(['web-01'])]);
    expect([twice.status, twice.json.error.target]).toEqual([400, 'properties.groups.1.replicationProtectedItems.0.id']);
    const inShutdown = await put([{ groupType: 'Shutdown', replicationProtectedItems: [{ id: itemId('web-01') }] }]);
    expect(inShutdown.status).toBe(400);
    const script = await put([boot(['web-01'], { endGroupActions: [{ actionName: 'notify', failoverTypes: ['TestFailover'], failoverDirections: ['PrimaryToRecovery'], customDetails: { instanceType: 'ScriptActionDetails', path: 'https://hooks.example.com/x', fabricLocation: 'Recovery' } }] })]);
    expect(script.status).toBe(400);
    expect(script.json.error.message).toContain('RecoveryPlanScriptHosts');
    const runbook = await put([boot(['web-01'], { startGroupActions: [{ actionName: 'rb', failoverTypes: ['TestFailover'], failoverDirections: ['PrimaryToRecovery'], customDetails: { instanceType: 'AutomationRunbookActionDetails', runbookId: 'Not A Queue!', fabricLocation: 'Recovery' } }] })]);
    expect([runbook.status, runbook.json.error.target]).toEqual([400, 'properties.groups.0.startGroupActions.0.customDetails.runbookId']);
    const unknown = await put([{ groupType: 'Boot', replicationProtectedItems: [{ id: itemId('no-such-vm') }] }]);
    expect(unknown.status).toBe(404);
    const plans = [];
    for await (const plan of p.sr.replicationRecoveryPlans.list(p.vault, p.rg)) plans.push(plan);
    expect(plans).toEqual([]);
  });

  it('runs a three-group plan through test failover (suspended at a manual action), cleanup, failover, commit, re-protect, failback and commit', async () => {
    const plan: RecoveryPlan = await p.sr.replicationRecoveryPlans.beginCreateAndWait(
      p.vault, p.rg, 'three-tier',
      {
        properties: {
          primaryFabricId: primaryFabricId(),
          recoveryFabricId: 'Microsoft Azure',
          failoverDeploymentModel: 'ResourceManager',
          groups: [
            boot(['web-01']),
            boot(['app-01', 'app-02'], { startGroupActions: [manual(['TestFailover'])] }),
            boot(['db-01'], { endGroupActions: [{ actionName: 'notify', failoverTypes: ['TestFailover', 'UnplannedFailover'], failoverDirections: ['PrimaryToRecovery'], customDetails: { instanceType: 'ScriptActionDetails', path: scriptUrl(), timeout: 'PT30S', fabricLocation: 'Recovery' } }] }),
          ],
        },
      },
      FAST,
    );
    expect(plan.properties?.groups?.map((group) => group.groupType)).toEqual(['Shutdown', 'Failover', 'Boot', 'Boot', 'Boot']);
    expect(plan.properties).toMatchObject({ recoveryFabricId: 'Microsoft Azure', replicationProviders: ['HyperVReplicaAzure'], allowedOperations: ['PlannedFailover', 'UnplannedFailover', 'TestFailover'] });

    // Test failover: group 1 comes up, then the job waits for the operator before group 2.
    await p.sr.replicationRecoveryPlans.beginTestFailover(p.vault, p.rg, 'three-tier', { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'VmNetworkAsInput', networkId: '/subscriptions/x/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/drill', providerSpecificDetails: [{ instanceType: 'HyperVReplicaAzure' }] } });
    const testJob = await jobOfPlan('three-tier');
    const suspended = await waitForJob(testJob, ['Suspended']);
    const groupTwo = suspended.properties?.tasks?.[3];
    expect(groupTwo?.groupTaskCustomDetails?.childTasks?.[0]).toMatchObject({ name: 'Check the web tier', state: 'InProgress' });
    expect((await view('web-01').record()).testVm).toBeDefined();
    expect((await view('app-01').record()).testVm).toBeUndefined();
    await p.sr.replicationJobs.beginResume(p.vault, p.rg, testJob, { properties: { comments: 'web tier answers' } });
    const tested = await waitForJob(testJob, ['Succeeded', 'Failed']);
    expect(tested.properties?.state).toBe('Succeeded');
    expectGroupsInOrder(tested);
    const observed = tested.properties?.tasks?.[3]?.groupTaskCustomDetails?.childTasks?.[0]?.customDetails as { observation?: string } | undefined;
    expect(observed?.observation).toBe('web tier answers');
    for (const name of NAMES) {
      const testVm = (await view(name).record()).testVm!;
      expect(await view(name).diskHashes(recoverySite, testVm.vmId)).toEqual(await view(name).pointHashes(await view(name).point(testVm.pointId)));
    }
    expect(scriptCalls).toHaveLength(1);
    expect(scriptCalls[0]).toMatchObject({ recoveryPlanName: 'three-tier', failoverType: 'TestFailover', groupName: 'Group 3: Start', vms: [{ name: 'db-01' }] });
    expect((await p.sr.replicationRecoveryPlans.get(p.vault, p.rg, 'three-tier')).properties?.allowedOperations).toEqual(['TestFailoverCleanup']);

    await p.sr.replicationRecoveryPlans.beginTestFailoverCleanupAndWait(p.vault, p.rg, 'three-tier', { properties: { comments: 'drill done' } }, FAST);
    expect((await items()).map((item) => item.properties?.testFailoverState)).toEqual(NAMES.map(() => 'MarkedForDeletion'));
    expect((await p.sr.replicationRecoveryPlans.get(p.vault, p.rg, 'three-tier')).properties?.lastTestFailoverTime).toBeDefined();

    // Unplanned failover (no manual action for it), commit, re-protect.
    await p.sr.replicationRecoveryPlans.beginUnplannedFailoverAndWait(p.vault, p.rg, 'three-tier', { properties: { failoverDirection: 'PrimaryToRecovery', sourceSiteOperations: 'NotRequired', providerSpecificDetails: [{ instanceType: 'HyperVReplicaAzure', recoveryPointType: 'LatestProcessed' }] } }, FAST);
    expectGroupsInOrder(await job(await jobOfPlan('three-tier')));
    for (const name of NAMES) {
      const record = await view(name).record();
      expect(record.state.activeLocation).toBe('Recovery');
      expect(await view(name).diskHashes(recoverySite, record.recoveryVm!.vmId)).toEqual(await view(name).pointHashes(await view(name).point(record.recoveryVm!.pointId)));
    }
    expect((await p.sr.replicationRecoveryPlans.get(p.vault, p.rg, 'three-tier')).properties?.allowedOperations).toEqual(expect.arrayContaining(['Commit', 'CancelFailover', 'ReverseReplicate']));
    await p.sr.replicationRecoveryPlans.beginFailoverCommitAndWait(p.vault, p.rg, 'three-tier', FAST);
    await p.sr.replicationRecoveryPlans.beginReprotectAndWait(p.vault, p.rg, 'three-tier', FAST);
    for (const name of NAMES) await waitForItem(p, name, (item: ReplicationProtectedItem) => item.properties?.protectionState === 'Protected' && item.properties.activeLocation === 'Recovery');

    // Failback, then commit: every VM is back at the primary with what it had at the recovery site.
    const recoveryHashes = new Map<string, string[]>();
    for (const name of NAMES) recoveryHashes.set(name, await view(name).diskHashes(recoverySite, (await view(name).record()).recoveryVm!.vmId));
    await p.sr.replicationRecoveryPlans.beginPlannedFailoverAndWait(p.vault, p.rg, 'three-tier', { properties: { failoverDirection: 'RecoveryToPrimary', providerSpecificDetails: [{ instanceType: 'HyperVReplicaAzureFailback', dataSyncOption: 'ForSynchronization', recoveryVmCreationOption: 'CreateVmIfNotFound' }] } }, FAST);
    for (const name of NAMES) expect(await view(name).diskHashes(p.hyperV, vms.get(name)!.id)).toEqual(recoveryHashes.get(name));
    await p.sr.replicationRecoveryPlans.beginFailoverCommitAndWait(p.vault, p.rg, 'three-tier', FAST);
    for (const name of NAMES) await waitForItem(p, name, (item: ReplicationProtectedItem) => item.properties?.protectionState === 'Protected' && item.properties.activeLocation === 'Primary');
    const after = await p.sr.replicationRecoveryPlans.get(p.vault, p.rg, 'three-tier');
    expect(after.properties?.lastPlannedFailoverTime).toBeDefined();
    expect(after.properties?.lastUnplannedFailoverTime).toBeDefined();
  });

  it('shuts every source VM down before any data moves in a planned failover', async () => {
    await p.sr.replicationRecoveryPlans.beginCreateAndWait(p.vault, p.rg, 'planned', { properties: { primaryFabricId: primaryFabricId(), recoveryFabricId: 'Microsoft Azure', groups: [boot(['web-01', 'app-01'])] } }, FAST);
    await p.sr.replicationRecoveryPlans.beginPlannedFailoverAndWait(p.vault, p.rg, 'planned', { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: [{ instanceType: 'HyperVReplicaAzure' }] } }, FAST);
    const done = await job(await jobOfPlan('planned'));
    const [shutdown, , group] = done.properties?.tasks ?? [];
    expect(shutdown?.name).toBe('All groups shutdown');
    const itemJobs = await Promise.all(
      (group?.groupTaskCustomDetails?.childTasks ?? []).map(async (task) => job(((task.customDetails as { jobTask?: { jobId?: string } } | undefined)?.jobTask?.jobId) ?? '')),
    );
    expect(itemJobs).toHaveLength(2);
    for (const itemJob of itemJobs) expect(itemJob.properties!.startTime!.getTime()).toBeGreaterThanOrEqual(shutdown!.endTime!.getTime());
    for (const name of ['web-01', 'app-01']) expect((await p.hyperV.getVm(vms.get(name)!.id))?.powerState).toBe('Off');
    // Back to where the other tests expect the items: cancel the failover (nothing was committed).
    await p.sr.replicationRecoveryPlans.beginFailoverCancelAndWait(p.vault, p.rg, 'planned', FAST);
    for (const name of ['web-01', 'app-01']) await waitForItem(p, name, (item: ReplicationProtectedItem) => item.properties?.protectionState === 'Protected' && item.properties.activeLocation === 'Primary');
  });

  it('runs runbook actions through the queue: answered, then one left unanswered times out and a restart after answering finishes it', async () => {
    const runbook = (queue: string, timeout: string) => ({ actionName: `runbook ${queue}`, failoverTypes: ['TestFailover'], failoverDirections: ['PrimaryToRecovery'], customDetails: { instanceType: 'AutomationRunbookActionDetails', runbookId: queue, timeout, fabricLocation: 'Recovery' } });
    await p.sr.replicationRecoveryPlans.beginCreateAndWait(p.vault, p.rg, 'automated', { properties: { primaryFabricId: primaryFabricId(), recoveryFabricId: 'Microsoft Azure', groups: [boot(['web-01'], { endGroupActions: [runbook('dr-runbook', 'PT60S')] })] } }, FAST);
    const work = new QueueClient(service.connectionString, 'dr-runbook');
    const replies = new QueueClient(service.connectionString, RUNBOOK_REPLIES_QUEUE);
    const received: Array<Record<string, unknown>> = [];
    let answering = true;
    const worker = (async () => {
      while (answering) {
        if (await work.exists()) {
          for (const message of (await work.receiveMessages({ numberOfMessages: 8 })).receivedMessageItems) {
            const body = JSON.parse(Buffer.from(message.messageText, 'base64').toString('utf8')) as Record<string, unknown>;
            received.push(body);
            await replies.sendMessage(Buffer.from(JSON.stringify({ correlationId: body.correlationId, status: 'Succeeded', message: 'warmed caches' })).toString('base64'));
            await work.deleteMessage(message.messageId, message.popReceipt);
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await p.sr.replicationRecoveryPlans.beginTestFailoverAndWait(p.vault, p.rg, 'automated', { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'NoNetworkAttachAsInput', providerSpecificDetails: [{ instanceType: 'HyperVReplicaAzure' }] } }, FAST);
    expect(received[0]).toMatchObject({ recoveryPlanName: 'automated', failoverType: 'TestFailover', failoverDirection: 'PrimaryToRecovery', vms: [{ name: 'web-01' }] });
    expect((received[0]?.vms as Array<{ recoveryVmId?: string }>)[0]?.recoveryVmId).toBe((await view('web-01').record()).testVm?.vmId);
    await p.sr.replicationRecoveryPlans.beginTestFailoverCleanupAndWait(p.vault, p.rg, 'automated', { properties: {} }, FAST);
    answering = false;
    await worker;

    // Nobody answers within 2 s: the job fails; answered afterwards, a restart finishes it.
    await p.sr.replicationRecoveryPlans.beginUpdateAndWait(p.vault, p.rg, 'automated', { properties: { groups: [boot(['web-01'], { endGroupActions: [runbook('dr-runbook', 'PT2S')] })] } }, FAST);
    await p.sr.replicationRecoveryPlans.beginTestFailover(p.vault, p.rg, 'automated', { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'NoNetworkAttachAsInput' } });
    const jobName = await jobOfPlan('automated');
    const failed = await waitForJob(jobName, ['Failed', 'Succeeded']);
    expect(failed.properties?.state).toBe('Failed');
    expect(failed.properties?.errors?.[0]?.serviceErrorDetails?.code).toBe('RunbookTimedOut');
    answering = true;
    const again = (async () => {
      while (answering) {
        for (const message of (await work.receiveMessages({ numberOfMessages: 8 })).receivedMessageItems) {
          const body = JSON.parse(Buffer.from(message.messageText, 'base64').toString('utf8')) as Record<string, unknown>;
          await replies.sendMessage(Buffer.from(JSON.stringify({ correlationId: body.correlationId, status: 'Succeeded' })).toString('base64'));
          await work.deleteMessage(message.messageId, message.popReceipt);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    await p.sr.replicationJobs.beginRestart(p.vault, p.rg, jobName);
    expect((await waitForJob(jobName, ['Succeeded', 'Failed'])).properties?.state).toBe('Succeeded');
    answering = false;
    await again;
    await p.sr.replicationRecoveryPlans.beginTestFailoverCleanupAndWait(p.vault, p.rg, 'automated', { properties: {} }, FAST);
  });

  it('fails the job when a VM in group 2 fails, and a restart finishes it without redoing group 1', async () => {
    await p.sr.replicationRecoveryPlans.beginCreateAndWait(
      p.vault, p.rg, 'partial',
      { properties: { primaryFabricId: primaryFabricId(), recoveryFabricId: 'Microsoft Azure', groups: [boot(['web-01']), boot(['app-01', 'app-02'], { startGroupActions: [manual(['TestFailover'])] }), boot(['db-01'])] } },
      FAST,
    );
    await p.sr.replicationRecoveryPlans.beginTestFailover(p.vault, p.rg, 'partial', { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'NoNetworkAttachAsInput' } });
    const jobName = await jobOfPlan('partial');
    await waitForJob(jobName, ['Suspended']);
    // Meanwhile someone drills app-02 on its own: the plan cannot test-fail it over now.
    await p.sr.replicationProtectedItems.beginTestFailoverAndWait(p.vault, p.rg, p.site, p.container, 'app-02', { properties: { failoverDirection: 'PrimaryToRecovery', networkType: 'NoNetworkAttachAsInput', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure' } } }, FAST);
    const groupOneJob = (await view('web-01').record()).testVm!.pinnedBy;
    await p.sr.replicationJobs.beginResume(p.vault, p.rg, jobName, { properties: { comments: 'go' } });
    const failed = await waitForJob(jobName, ['Failed', 'Succeeded']);
    expect(failed.properties?.state).toBe('Failed');
    expect(failed.properties?.errors?.[0]?.serviceErrorDetails?.message).toContain("Virtual machine 'app-02'");
    const groupTwo = failed.properties?.tasks?.[3]?.groupTaskCustomDetails?.childTasks ?? [];
    expect(groupTwo.find((task) => task.name === 'Check the web tier')?.state).toBe('Succeeded');
    const appTwo = groupTwo.find((task) => task.name === 'app-02');
    expect(appTwo?.state).toBe('Failed');
    expect(appTwo?.errors?.[0]?.serviceErrorDetails?.message).toContain("Virtual machine 'app-02'");
    expect((await view('db-01').record()).testVm).toBeUndefined();

    await p.sr.replicationProtectedItems.beginTestFailoverCleanupAndWait(p.vault, p.rg, p.site, p.container, 'app-02', { properties: {} }, FAST);
    await p.sr.replicationJobs.beginRestart(p.vault, p.rg, jobName);
    const finished = await waitForJob(jobName, ['Succeeded', 'Failed']);
    expect(finished.properties?.state).toBe('Succeeded');
    expect((await view('web-01').record()).testVm!.pinnedBy).toBe(groupOneJob);
    for (const name of NAMES) expect((await view(name).record()).testVm).toBeDefined();
    await p.sr.replicationRecoveryPlans.beginTestFailoverCleanupAndWait(p.vault, p.rg, 'partial', { properties: {} }, FAST);
  });
});
