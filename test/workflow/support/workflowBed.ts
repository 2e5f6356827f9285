/**
 * A vault for workflow tests: the control plane, recovery points and sites in memory behind the
 * same ports the app uses (`Deps`), a Hyper-V site `hv` with one protected VM, a recovery site `rs`,
 * and `drain()`, which runs the job steps the jobs queue would deliver until none is left. Between
 * steps, a stand-in for the replication chain cuts a point when an operation asked for one.
 */
import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';
import type { VaultRef } from '../../../shared/arm/resourceId.js';
import type { Config } from '../../../shared/config.js';
import type { JobExport, JobExports } from '../../../shared/jobs/jobExports.js';
import { createPolicyReader } from '../../../shared/infra/policyReader.js';
import type { Deps } from '../../../shared/deps.js';
import type { ProtectionSnapshot } from '../../../shared/domain/protectionState.js';
import { FABRIC_ROW, type FabricRecord } from '../../../shared/infra/fabrics.js';
import { createLogger } from '../../../shared/logging/logger.js';
import { jobKinds } from '../../../shared/jobs/jobKinds.js';
import type { Job } from '../../../shared/jobs/jobModel.js';
import type { JobQueue, JobStepMessage } from '../../../shared/jobs/jobQueue.js';
import { jobStoreWithEvents } from '../../../shared/jobs/controlPlane.js';
import { createEventLog } from '../../../shared/events/eventLog.js';
import type { JsonQueues } from '../../../shared/storage/jsonQueues.js';
import { runJobStep } from '../../../shared/jobs/runJobStep.js';
import { itemKeyOf, PROTECTED_ITEM_ROW, type ProtectedItemRecord } from '../../../shared/protection/protectedItemRecord.js';
import type { ReplicationMessage } from '../../../shared/protection/replicationQueue.js';
import type { CycleState } from '../../../shared/replication/cycleState.js';
import { recoveryPointId, type RecoveryPoint } from '../../../shared/replication/recoveryPoint.js';
import type { ReplicationEngine } from '../../../shared/replication/replicationEngine.js';
import { vaultPartition } from '../../../shared/repos/partitions.js';
import type { SiteVm } from '../../../shared/site/types.js';
import { createMemoryPoints, type MemoryPoints } from './memoryPoints.js';
import { createMemoryRepository } from './memoryRepository.js';
import { createStubSite, type SiteCall, type StubSite } from './stubSite.js';

export const SOURCE = 'hv';
export const RECOVERY = 'rs';
export const ALTERNATE = 'hv2';
export const CONTAINER = 'hv-container';
export const ITEM = 'web-01';

export interface EngineCall {
  op: 'deleteReplicas' | 'abandonCycle';
  detail: unknown;
}

export interface WorkflowBed {
  vault: VaultRef;
  deps: Deps;
  points: MemoryPoints;
  source: StubSite;
  recovery: StubSite;
  alternate: StubSite;
  /** Every call the service made on a site, in order. */
  siteCalls: SiteCall[];
  engineCalls: EngineCall[];
  replicationSends: ReplicationMessage[];
  logs: string[];
  vm: SiteVm;
  itemKey: string;
  route: { fabricName: string; containerName: string; itemName: string };
  item(): Promise<ProtectedItemRecord>;
  /** Rewrites the item row (as the replication chain or another command would). */
  changeItem(change: (item: ProtectedItemRecord) => ProtectedItemRecord): Promise<ProtectedItemRecord>;
  /** Adds a recovery point of the item's direction (`key`: its points key), at `time`. */
  addPoint(options?: { key?: string; time?: string; type?: RecoveryPoint['type'] }): Promise<RecoveryPoint>;
  job(jobId: string): Promise<Job>;
  /**
   * Runs the queued job steps (and `between` after each) until the queue is empty, as the queue
   * trigger does: a step that throws is delivered again, up to `maxDequeueCount` times, then poisoned.
   */
  drain(between?: () => Promise<void>): Promise<number>;
  /** Messages that failed every delivery. */
  poisoned: JobStepMessage[];
}

const config: Config = { storage: 'memory', siteStorage: 'memory', recoveryStorage: 'memory', controlPlaneTable: 'memory', maxDequeueCount: 5, recoveryPlans: { scriptHosts: [], parallelism: 4 }, automation: { publicUrl: 'http://localhost:7071/api', eventRetentionDays: 30, webhookHosts: [] } };

export async function createWorkflowBed(state: Partial<ProtectionSnapshot> = {}): Promise<WorkflowBed> {
  // Steps that wait (a straggler's grace, a retry) advance this clock instead of sleeping.
  vi.useFakeTimers({ toFake: ['Date'] });
  const vault: VaultRef = { subscriptionId: randomUUID(), resourceGroupName: 'rg', vaultName: 'vault' };
  const partition = vaultPartition(vault);
  const repository = createMemoryRepository();
  const points = createMemoryPoints();
  const queued: Array<{ message: JobStepMessage; delayMs: number; dequeueCount: number }> = [];
  const jobQueue: JobQueue = {
    async enqueue(message, delayMs = 0) {
      queued.push({ message, delayMs, dequeueCount: 1 });
    },
  };
  const poisoned: JobStepMessage[] = [];
  const siteCalls: SiteCall[] = [];
  const engineCalls: EngineCall[] = [];
  const replicationSends: ReplicationMessage[] = [];
  const logs: string[] = [];
  const source = createStubSite(SOURCE, siteCalls);
  const recovery = createStubSite(RECOVERY, siteCalls);
  const alternate = createStubSite(ALTERNATE, siteCalls);
  const replicaTarget = recovery.fencedDiskTarget('replicas').target;
  const engine = (): ReplicationEngine => {
    const unused = (): never => {
      throw new Error('Job steps do not run replication cycles.');
    };
    return {
      planInitialReplication: unused,
      planDeltaCycle: unused,
      planQuietCycle: unused,
      planResync: unused,
      copyStep: unused,
      finishCycle: unused,
      verifyRecoveryPoint: unused,
      compareWithSource: unused,
      verifyCopyOfPoint: unused,
      async abandonCycle(cycle: CycleState) {
        engineCalls.push({ op: 'abandonCycle', detail: cycle.cycleId });
      },
      async deleteReplicas(itemKey, options) {
        engineCalls.push({ op: 'deleteReplicas', detail: { itemKey, targets: options?.targets ?? [] } });
        return { done: true };
      },
    };
  };
  /** Job exports in memory (no workflow writes one; the control plane has them). */
  const memoryJobExports = (): JobExports => {
    const files = new Map<string, JobExport>();
    return {
      save: (vault, jobId, file) => Promise.resolve(void files.set(`${vault.vaultName}/${jobId}`, file)),
      read: (vault, jobId) => Promise.resolve(files.get(`${vault.vaultName}/${jobId}`)),
    };
  };
  const published: Array<{ queue: string; message: unknown }> = [];
  const queues: JsonQueues = {
    ensure: async () => undefined,
    async send(queue, message) {
      published.push({ queue, message });
    },
    async sendLater(queue, message) {
      published.push({ queue, message });
    },
  };
  const events = createEventLog(repository, queues);
  const deps: Deps = {
    config,
    plane: { repository, jobs: jobStoreWithEvents(repository, events, (message) => logs.push(message)), jobQueue, exports: memoryJobExports(), events },
    policies: createPolicyReader(repository),
    queues,
    points,
    replicationQueue: {
      ensure: async () => undefined,
      async send(message) {
        replicationSends.push(message);
      },
    },
    sites: {
      hyperV: (_vault, fabricName) => (fabricName === ALTERNATE ? alternate : source),
      recoveryVms: () => recovery,
      replicas: () => ({ target: replicaTarget, ensure: async () => undefined, replicaBlobName: (key, diskId) => `replicas/${key}/${diskId}.vhd`, blobUrl: (name) => `memory://replicas/${name}` }),
      pointSnapshot: (disk) => {
        const url = `memory://${disk.container}/${disk.replicaBlob}?snapshot=${disk.snapshot}`;
        return { url, sasUrl: async () => url };
      },
      sourceDiskUrl: (container, blobName) => `memory://${container}/${blobName}`,
    },
    engine,
    runbooks: { send: () => Promise.reject(new Error('No runbook worker in workflow tests.')) },
    scripts: { call: () => Promise.resolve({ ok: false, problem: 'no script host in workflow tests' }) },
    ready: async () => undefined,
  };
  const vm = await source.createEmptyVm({
    id: randomUUID(),
    name: ITEM,
    osType: 'Linux',
    generation: 2,
    cpuCount: 2,
    memoryMB: 2048,
    powerState: 'Running',
    disks: [
      { id: randomUUID(), name: 'os', sizeBytes: 1 << 20, isOsDisk: true },
      { id: randomUUID(), name: 'data', sizeBytes: 1 << 20, isOsDisk: false },
    ],
  });
  siteCalls.length = 0;
  const itemKey = itemKeyOf(vault, SOURCE, CONTAINER, ITEM);
  const now = new Date().toISOString();
  const record: ProtectedItemRecord = {
    vault,
    name: ITEM,
    fabricName: SOURCE,
    containerName: CONTAINER,
    itemKey,
    friendlyName: ITEM,
    protectableItemId: vm.id,
    vmId: vm.id,
    osType: 'Linux',
    generation: 2,
    cpuCount: 2,
    memoryMB: 2048,
    policyName: 'policy',
    mappingName: 'mapping',
    recoveryFabricName: RECOVERY,
    recoveryContainerName: `${RECOVERY}-container`,
    disks: vm.disks.map((disk) => ({ diskId: disk.id, name: disk.name, sizeBytes: disk.sizeBytes, isOsDisk: disk.isOsDisk, container: disk.container, blobName: disk.blobName })),
    recovery: { vmName: ITEM, vmSize: 'Standard_D2s_v3' },
    state: { protectionState: 'Protected', testFailoverState: 'None', activeLocation: 'Primary', replicationDirection: 'PrimaryToRecovery', failoverCommitted: false, ...state },
    replication: { generation: 1, token: randomUUID(), active: true, touchedAt: now, startedAt: now },
    createdAt: now,
    updatedAt: now,
  };
  await repository.create(partition, PROTECTED_ITEM_ROW, [SOURCE, CONTAINER, ITEM], record);
  for (const [fabric, instanceType] of [[SOURCE, 'HyperVSite'], [ALTERNATE, 'HyperVSite'], [RECOVERY, 'Azure']] as const) {
    const fabricRecord: FabricRecord = { name: fabric, instanceType, internalIdentifier: randomUUID(), createdAt: now, provisioningState: 'Succeeded' };
    await repository.create(partition, FABRIC_ROW, fabric, fabricRecord);
  }
  const name = [SOURCE, CONTAINER, ITEM];

  const bed: WorkflowBed = {
    vault,
    deps,
    points,
    source,
    recovery,
    alternate,
    siteCalls,
    engineCalls,
    replicationSends,
    logs,
    poisoned,
    vm,
    itemKey,
    route: { fabricName: SOURCE, containerName: CONTAINER, itemName: ITEM },
    async item() {
      const row = await repository.get<ProtectedItemRecord>(partition, PROTECTED_ITEM_ROW, name);
      if (!row) throw new Error('The item is gone.');
      return row.value;
    },
    async changeItem(change) {
      const row = await repository.update<ProtectedItemRecord>(partition, PROTECTED_ITEM_ROW, name, change);
      if (!row) throw new Error('The item is gone.');
      return row.value;
    },
    async addPoint(options = {}) {
      const key = options.key ?? itemKey;
      const time = options.time ?? new Date().toISOString();
      const id = recoveryPointId(time, randomUUID().replaceAll('-', ''));
      const point: RecoveryPoint = {
        id,
        itemKey: key,
        time,
        type: options.type ?? 'CrashConsistent',
        seq: points.all(key).length + 1,
        disks: vm.disks.map((disk) => ({ diskId: disk.id, container: 'replicas', replicaBlob: `replicas/${key}/${disk.id}.vhd`, snapshot: `snap-${id}`, manifestBlob: `manifests/${key}/${disk.id}/${id}.bin`, sizeBytes: disk.sizeBytes })),
      };
      await points.add(point);
      await bed.changeItem((item) => ({ ...item, replication: { ...item.replication, lastPointId: id, lastPointTime: time, lastSeq: point.seq } }));
      return point;
    },
    async job(jobId) {
      const row = await deps.plane.jobs.get(partition, jobId);
      if (!row) throw new Error(`Job ${jobId} is gone.`);
      return row.value;
    },
    async drain(between) {
      const keep = (line: string): number => logs.push(line);
      const log = createLogger({ debug: keep, info: keep, warn: keep, error: keep });
      let steps = 0;
      for (let next = queued.shift(); next; next = queued.shift()) {
        if (++steps > 500) throw new Error('The job did not end within 500 steps.');
        if (next.delayMs > 0) vi.setSystemTime(Date.now() + next.delayMs);
        try {
          await runJobStep(deps, jobKinds, next.message, { dequeueCount: next.dequeueCount, maxDequeueCount: config.maxDequeueCount }, log);
        } catch (error) {
          logs.push(`delivery ${next.dequeueCount} failed: ${String(error)}`);
          if (next.dequeueCount >= config.maxDequeueCount) poisoned.push(next.message);
          else queued.push({ ...next, delayMs: 5_000, dequeueCount: next.dequeueCount + 1 });
        }
        // The replication chain: a point when an operation wants one.
        const item = await bed.item().catch(() => undefined);
        if (item?.replication.active && item.replication.pointWantedBy) {
          await bed.addPoint();
          await bed.changeItem((current) => ({ ...current, replication: { ...current.replication, pointWantedBy: undefined } }));
        }
        await between?.();
      }
      return steps;
    },
  };
  return bed;
}
