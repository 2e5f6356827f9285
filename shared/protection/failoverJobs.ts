/**
 * The failover family as jobs, one idempotent step per queue message: test failover and its
 * cleanup, planned and unplanned failover in both directions (failback is a planned failover from
 * the recovery site back to the primary), changing the recovery point before commit, commit, and
 * re-protect. Each job is admitted with the item already moved by the state machine; its last step
 * reports the outcome to the machine, and a failed job reports the failure so the item allows a retry.
 */
import { createHash } from 'node:crypto';
import { transition, type FailoverDirection, type ProtectionEvent } from '../domain/protectionMachine.js';
import type { RecoveryPointChoice } from '../domain/recoveryPointChoice.js';
import { PermanentError } from '../errors/PermanentError.js';
import type { JobTask } from '../jobs/jobModel.js';
import { registerJobKind, type JobStepContext } from '../jobs/jobRegistry.js';
import type { CycleState } from '../replication/cycleState.js';
import type { RecoveryPoint } from '../replication/recoveryPoint.js';
import { itemNameOf, runSteps, tasksOf, type ItemJobInput, type JobStep, type StepEnv, type StepOutcome } from './jobSteps.js';
import { PROTECTED_ITEM_ROW, primaryOf, type PrimaryVm, type ProtectedItemRecord } from './protectedItemRecord.js';
import { getProtectionServices } from './protectionServices.js';
import { createVmAtSite, createVmFromPoint, deleteRecoveryVm, restoreOriginalDisks, startPrimaryVm } from './recoveryVms.js';
import { beginReplication, kickReplication, stopReplication } from './replicationChain.js';
import { replicationEndpoints, reversePointsKey } from './replicationEndpoints.js';

export const TEST_FAILOVER_JOB = 'testFailover';
export const TEST_FAILOVER_CLEANUP_JOB = 'testFailoverCleanup';
export const FAILOVER_JOB = 'failover';
export const CHANGE_RECOVERY_POINT_JOB = 'changeRecoveryPoint';
export const COMMIT_JOB = 'commitFailover';
export const REPROTECT_JOB = 'reprotect';

/** A failover warns when the item's last successful test failover is older than this (or never ran). */
export const TEST_FAILOVER_WARNING_DAYS = 180;
const WAIT_MS = 1_000;

export interface FailoverJobInput extends ItemJobInput {
  direction: FailoverDirection;
  planned: boolean;
  /** Shut the source VM down first: always for planned, `sourceSiteOperations: Required` for unplanned. */
  shutdownSource: boolean;
  choice: RecoveryPointChoice;
  /** Failback to another Hyper-V site of the vault instead of the original VM. */
  alternateFabricName?: string;
}

export interface TestFailoverJobInput extends ItemJobInput {
  choice: RecoveryPointChoice;
  networkId?: string;
}

export interface ChangeRecoveryPointJobInput extends ItemJobInput {
  choice: RecoveryPointChoice;
}

export interface OperationData {
  /** When the operation asked for a fresh point (ISO). */
  freshSince?: string;
  /** The point the operation uses (pinned). */
  pointId?: string;
  /** The VM the operation created or stopped. */
  vmId?: string;
  /** A replication cycle the failover interrupted, to clean up. */
  abandonedCycle?: CycleState;
}

/** A stable GUID for a VM an operation creates, so a re-run step finds the same VM. */
export function vmIdFor(jobId: string, purpose: string): string {
  const hex = createHash('sha256').update(`${jobId}\n${purpose}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function applyOutcome(item: ProtectedItemRecord, event: ProtectionEvent): ProtectedItemRecord {
  const result = transition(item.state, event);
  if (!result.ok) throw new PermanentError(result.reason, { code: 'InvalidStateTransition' });
  return { ...item, state: result.next };
}

const pointsKeyOf = (item: ProtectedItemRecord, direction = item.state.replicationDirection): string =>
  direction === 'PrimaryToRecovery' ? item.itemKey : reversePointsKey(item.itemKey);

/** Asks the chain for a point taken at or after `since` and waits until it exists. */
async function awaitFreshPoint<D extends OperationData>(env: StepEnv<D>, since: string): Promise<StepOutcome<D>> {
  const status = (await env.item()).value.replication;
  if (status.lastPointTime && Date.parse(status.lastPointTime) >= Date.parse(since)) return { next: {} };
  if (!status.active) {
    throw new PermanentError('Replication is not running, so no newer recovery point can be taken.', {
      code: 'ReplicationNotActive',
      recommendedAction: 'Choose the latest processed recovery point instead.',
    });
  }
  if (!status.pointWantedBy || Date.parse(status.pointWantedBy) < Date.parse(since)) {
    const updated = await env.updateItem((item) => ({
      ...item,
      replication: { ...item.replication, pointWantedBy: since, ...(item.replication.cycle ? {} : { nextCycleAt: since }) },
    }));
    if (!updated.value.replication.cycle) await kickReplication(env.services, env.vault, updated.value);
  }
  return { waitMs: WAIT_MS, note: 'Replicating the pending changes' };
}

/** Step: a fresh point when `wanted` (Latest, or the final sync of a planned failover). */
function freshPointStep<D extends OperationData>(task: string, wanted: (env: StepEnv<D>) => boolean): JobStep<D> {
  return {
    task,
    async run(env) {
      if (!wanted(env)) return { next: {} };
      if (!env.data.freshSince) await env.remember({ freshSince: new Date().toISOString() } as Partial<D>);
      return awaitFreshPoint(env, env.data.freshSince!);
    },
  };
}

/** The point a choice names among the item's points of `direction`. */
async function findPoint(env: StepEnv<OperationData>, key: string, choice: RecoveryPointChoice): Promise<RecoveryPoint> {
  let point: RecoveryPoint | undefined;
  if (choice.kind === 'Custom') {
    point = await env.services.points.get(key, choice.recoveryPointId);
    if (!point) {
      throw new PermanentError(`The recovery point '${choice.recoveryPointId}' does not exist or has been pruned.`, {
        code: 'RecoveryPointNotFound',
        recommendedAction: "List the item's recovery points and choose one of them.",
      });
    }
    return point;
  }
  point = choice.kind === 'LatestApplicationConsistent' ? await env.services.points.latestApplicationConsistent(key) : await env.services.points.latest(key);
  if (!point && choice.kind === 'LatestApplicationConsistent') {
    throw new PermanentError('The item has no application-consistent recovery point.', {
      code: 'NoApplicationConsistentRecoveryPoint',
      recommendedAction: 'Choose the latest processed point, or wait for the next application-consistent snapshot.',
    });
  }
  if (!point) throw new PermanentError('The item has no recovery point yet.', { code: 'NoRecoveryPointAvailable', recommendedAction: 'Wait for initial replication to complete.' });
  return point;
}

/**
 * Step: choose the point and pin it against pruning for this job. The choice is recorded before the
 * pin, so a re-run after a crash pins the same point again instead of choosing (and pinning) a newer
 * one and leaving the first pinned for ever.
 */
function pinPointStep<D extends OperationData>(choiceOf: (env: StepEnv<D>) => RecoveryPointChoice, direction?: (env: StepEnv<D>) => FailoverDirection): JobStep<D> {
  return {
    task: 'Choosing and locking the recovery point',
    async run(env) {
      const item = (await env.item()).value;
      const key = pointsKeyOf(item, direction?.(env));
      let pointId = env.data.pointId;
      if (!pointId) {
        pointId = (await findPoint(env as unknown as StepEnv<OperationData>, key, choiceOf(env))).id;
        await env.remember({ pointId } as Partial<D>);
      }
      if (!(await env.services.points.pin(key, pointId, env.job.jobId))) {
        await env.remember({ pointId: undefined } as Partial<D>); // pruned meanwhile: choose again
        return { waitMs: 0 };
      }
      return { next: { pointId } as Partial<D> };
    },
  };
}

async function pointOf(env: StepEnv<OperationData>, key: string): Promise<RecoveryPoint> {
  const point = env.data.pointId ? await env.services.points.get(key, env.data.pointId) : undefined;
  if (!point) throw new PermanentError('The chosen recovery point no longer exists.', { code: 'RecoveryPointNotFound' });
  return point;
}

/** The warning a failover job carries when the item was not drilled recently. */
function drillWarning(item: ProtectedItemRecord, now: Date): string | undefined {
  const last = item.lastSuccessfulTestFailoverTime;
  if (last && now.getTime() - Date.parse(last) <= TEST_FAILOVER_WARNING_DAYS * 86_400_000) return undefined;
  return last
    ? `The last successful test failover of '${item.friendlyName}' was on ${last}, more than ${TEST_FAILOVER_WARNING_DAYS} days ago.`
    : `'${item.friendlyName}' has never completed a test failover.`;
}

async function warn(context: JobStepContext, code: string, message: string, recommendedAction: string): Promise<void> {
  await context.updateJob((job) =>
    job.errors.some((e) => e.serviceErrorDetails.code === code)
      ? undefined
      : {
          ...job,
          errors: [...job.errors, { serviceErrorDetails: { code, message, recommendedAction }, errorLevel: 'Warning', creationTime: new Date().toISOString() }],
        },
  );
}

/** When a job fails, the item reports the failure to the machine (so a retry is allowed). */
function failWith(event: ProtectionEvent) {
  return async (context: JobStepContext): Promise<void> => {
    const job = context.job.value;
    const row = await context.repository.update<ProtectedItemRecord>(context.partition, PROTECTED_ITEM_ROW, itemNameOf(job.input as ItemJobInput), (item) => {
      const result = transition(item.state, event);
      return result.ok ? { ...item, state: result.next, currentScenario: undefined } : undefined;
    });
    // Release the point the job locked, unless a VM the item keeps was created from it.
    const pointId = (job.progress as { data?: OperationData } | undefined)?.data?.pointId;
    const item = row?.value;
    if (!pointId || !item) return;
    const kept = [item.recoveryVm, item.testVm].some((vm) => vm?.pinnedBy === job.jobId);
    if (kept) return;
    const direction = (job.input as Partial<FailoverJobInput>).direction;
    await getProtectionServices().points.unpin(pointsKeyOf(item, direction), pointId, job.jobId);
  };
}

// ---- Test failover and cleanup ----------------------------------------------------------------

const testFailoverSteps: Array<JobStep<OperationData>> = [
  freshPointStep('Synchronizing the pending changes', (env) => (env.input as unknown as TestFailoverJobInput).choice.kind === 'Latest'),
  pinPointStep((env) => (env.input as unknown as TestFailoverJobInput).choice),
  {
    task: 'Creating the test virtual machine',
    async run(env) {
      const item = (await env.item()).value;
      const input = env.input as unknown as TestFailoverJobInput;
      const vmId = vmIdFor(env.job.jobId, 'test');
      const point = await pointOf(env, item.itemKey);
      const state = await createVmFromPoint(env.services, env.vault, item, point, {
        vmId,
        name: `${item.recovery.vmName}-test`,
        purpose: 'test',
        network: { ...(input.networkId ? { networkId: input.networkId } : {}), ...(item.recovery.subnetName ? { subnetName: item.recovery.subnetName } : {}) },
      });
      return state === 'ready' ? { next: { vmId } } : { waitMs: WAIT_MS, note: 'Copying the disks from the recovery point' };
    },
  },
  {
    task: 'Completing the test failover',
    async run(env) {
      await env.updateItem((item) => {
        if (item.state.testFailoverState !== 'TestFailoverInitiated') return undefined;
        const networkId = (env.input as unknown as TestFailoverJobInput).networkId;
        const testVm: ProtectedItemRecord['testVm'] = {
          vmId: env.data.vmId!,
          name: `${item.recovery.vmName}-test`,
          pointId: env.data.pointId!,
          pointsKey: item.itemKey,
          pinnedBy: env.job.jobId,
          ...(networkId ? { networkId } : {}),
        };
        return { ...applyOutcome(item, { type: 'TestFailoverCompleted' }), testVm, currentScenario: undefined, updatedAt: new Date().toISOString() };
      });
      return { next: {} };
    },
  },
];

registerJobKind(TEST_FAILOVER_JOB, { run: runSteps(testFailoverSteps, {}), onFailed: failWith({ type: 'TestFailoverFailed' }) });

const testFailoverCleanupSteps: Array<JobStep<OperationData>> = [
  {
    task: 'Deleting the test virtual machine',
    async run(env) {
      const item = (await env.item()).value;
      if (item.testVm) await deleteRecoveryVm(env.services, env.vault, item, item.testVm.vmId);
      return { next: {} };
    },
  },
  {
    task: 'Completing the test failover cleanup',
    async run(env) {
      const item = (await env.item()).value;
      if (item.testVm) await env.services.points.unpin(item.testVm.pointsKey, item.testVm.pointId, item.testVm.pinnedBy);
      await env.updateItem((current) => {
        if (current.state.testFailoverState !== 'TestFailoverCleanupInitiated') return undefined;
        const succeeded = current.testVm !== undefined;
        return {
          ...applyOutcome(current, { type: 'TestFailoverCleanedUp' }),
          testVm: undefined,
          currentScenario: undefined,
          ...(succeeded ? { lastSuccessfulTestFailoverTime: new Date().toISOString() } : {}),
          updatedAt: new Date().toISOString(),
        };
      });
      return { next: {} };
    },
  },
];

registerJobKind(TEST_FAILOVER_CLEANUP_JOB, { run: runSteps(testFailoverCleanupSteps, {}) });

/** Creates (or finds) the failed-over VM at the recovery site from the job's point, in the recovery network. */
async function startFailedOverVm(env: StepEnv<OperationData>, item: ProtectedItemRecord): Promise<StepOutcome<OperationData>> {
  const vmId = vmIdFor(env.job.jobId, 'failover');
  const point = await pointOf(env, item.itemKey);
  const state = await createVmFromPoint(env.services, env.vault, item, point, {
    vmId,
    name: item.recovery.vmName,
    purpose: 'failover',
    network: {
      ...(item.recovery.networkId ? { networkId: item.recovery.networkId } : {}),
      ...(item.recovery.subnetName ? { subnetName: item.recovery.subnetName } : {}),
      ...(item.recovery.staticIpAddress ? { ipAddress: item.recovery.staticIpAddress } : {}),
    },
  });
  return state === 'ready' ? { next: { vmId } } : { waitMs: WAIT_MS, note: 'Copying the disks from the recovery point' };
}

// ---- Failover (planned and unplanned, both directions) -----------------------------------------

const failoverInput = (env: StepEnv<OperationData>): FailoverJobInput => env.input as unknown as FailoverJobInput;
const forward = (env: StepEnv<OperationData>): boolean => failoverInput(env).direction === 'PrimaryToRecovery';

const failoverSteps: Array<JobStep<OperationData>> = [
  {
    task: 'Prerequisites check for failover',
    async run(env) {
      const item = (await env.item()).value;
      const warning = forward(env) ? drillWarning(item, new Date()) : undefined;
      if (warning) await warn(env.context, 'TestFailoverNotDoneRecently', warning, 'Run a test failover regularly to validate the recovery plan without impact on production.');
      return { next: {} };
    },
  },
  {
    task: 'Shutting down the virtual machine at the source',
    async run(env) {
      if (!failoverInput(env).shutdownSource) return { next: {} };
      const item = (await env.item()).value;
      if (forward(env)) await env.services.site(env.vault, primaryOf(item).fabricName).shutdown(primaryOf(item).vmId);
      else if (item.recoveryVm) await env.services.recoveryVmSite(env.vault, item.recoveryFabricName).shutdown(item.recoveryVm.vmId);
      return { next: {} };
    },
  },
  freshPointStep('Synchronizing the final changes', (env) => failoverInput(env).planned || failoverInput(env).choice.kind === 'Latest'),
  pinPointStep((env) => (failoverInput(env).planned ? { kind: 'LatestProcessed' } : failoverInput(env).choice)),
  {
    task: 'Stopping replication and fencing the source',
    async run(env) {
      const item = (await env.item()).value;
      if (item.replication.active) {
        // Keep the interrupted cycle in the job first, so a re-run after a crash still cleans it up.
        if (item.replication.cycle && !env.data.abandonedCycle) await env.remember({ abandonedCycle: item.replication.cycle });
        await env.updateItem((current) => (current.replication.active ? stopReplication(current, new Date()) : undefined));
      }
      const cycle = env.data.abandonedCycle;
      if (cycle) {
        const ends = replicationEndpoints(env.services, env.vault, item);
        await ends.engine.abandonCycle(cycle);
        await ends.source.deleteCheckpoint({
          disks: cycle.disks.map((d) => ({ diskId: d.diskId, sizeBytes: d.sizeBytes, container: d.source.container, blobName: d.source.blobName, snapshot: d.source.snapshot })),
        });
      }
      // After failover the service holds the source disks: the source host's writes fail.
      if (forward(env)) {
        const primary = primaryOf(item);
        const site = env.services.site(env.vault, primary.fabricName);
        if (await site.getVm(primary.vmId)) await site.fence(primary.vmId);
        else {
          await warn(
            env.context,
            'SourceVmNotFound',
            `The virtual machine '${item.friendlyName}' no longer exists at site '${primary.fabricName}', so there was nothing to fence.`,
            'Re-protect recreates the virtual machine at the original site and copies its disks back in full.',
          );
        }
      }
      return { next: {} };
    },
  },
  {
    task: 'Starting the virtual machine at the target',
    async run(env) {
      const item = (await env.item()).value;
      if (forward(env)) {
        return startFailedOverVm(env, item);
      }
      const point = await pointOf(env, reversePointsKey(item.itemKey));
      const alternate = failoverInput(env).alternateFabricName;
      if (alternate) {
        // Failback to another Hyper-V site: a new VM there from the final point of the original disks.
        const vmId = vmIdFor(env.job.jobId, 'failback');
        const original = env.services.site(env.vault, primaryOf(item).fabricName);
        const state = await createVmAtSite(env.services.site(env.vault, alternate), item, point, { vmId, name: item.friendlyName, purpose: 'failback', network: {} }, original.blobs);
        return state === 'ready' ? { next: { vmId } } : { waitMs: WAIT_MS, note: 'Copying the disks to the alternate site' };
      }
      if ((await restoreOriginalDisks(env.services, env.vault, item, point)) === 'copying') {
        return { waitMs: WAIT_MS, note: 'Restoring the disks to the recovery point' };
      }
      await startPrimaryVm(env.services, env.vault, item, point);
      return { next: { vmId: primaryOf(item).vmId } };
    },
  },
  {
    task: 'Completing the failover',
    async run(env) {
      const alternate = failoverInput(env).alternateFabricName;
      const created = alternate ? await env.services.site(env.vault, alternate).getVm(env.data.vmId!) : undefined;
      const alternateVm: PrimaryVm | undefined =
        alternate && created
          ? {
              fabricName: alternate,
              vmId: created.id,
              disks: created.disks.map((disk) => ({ diskId: disk.id, name: disk.name, sizeBytes: disk.sizeBytes, isOsDisk: disk.isOsDisk, container: env.services.site(env.vault, alternate).containerName, blobName: disk.blobName })),
            }
          : undefined;
      await env.updateItem((item) => {
        if (item.state.protectionState !== 'PlannedFailoverInitiated' && item.state.protectionState !== 'UnplannedFailoverInitiated') return undefined;
        const at = new Date().toISOString();
        const next: ProtectedItemRecord = {
          ...applyOutcome(item, { type: 'FailoverCompleted' }),
          currentScenario: undefined,
          lastSuccessfulFailoverTime: at,
          failoverRecoveryPointId: env.data.pointId,
          updatedAt: at,
        };
        if (forward(env)) {
          next.recoveryVm = { vmId: env.data.vmId!, name: item.recovery.vmName, pointId: env.data.pointId!, pointsKey: item.itemKey, pinnedBy: env.job.jobId };
        } else if (alternateVm) {
          next.primary = alternateVm;
        }
        return next;
      });
      return { next: {} };
    },
  },
];

registerJobKind(FAILOVER_JOB, { run: runSteps(failoverSteps, {}), onFailed: failWith({ type: 'FailoverFailed' }) });

// ---- Change recovery point (before commit) -----------------------------------------------------

const changePointSteps: Array<JobStep<OperationData>> = [
  pinPointStep((env) => (env.input as unknown as ChangeRecoveryPointJobInput).choice, () => 'PrimaryToRecovery'),
  {
    task: 'Deleting the virtual machine created from the previous point',
    async run(env) {
      const item = (await env.item()).value;
      const old = item.recoveryVm;
      if (old && old.vmId !== vmIdFor(env.job.jobId, 'failover')) {
        await deleteRecoveryVm(env.services, env.vault, item, old.vmId);
        await env.services.points.unpin(old.pointsKey, old.pointId, old.pinnedBy);
      }
      return { next: {} };
    },
  },
  {
    task: 'Starting the virtual machine from the chosen point',
    async run(env) {
      return startFailedOverVm(env, (await env.item()).value);
    },
  },
  {
    task: 'Completing the change of recovery point',
    async run(env) {
      await env.updateItem((item) =>
        item.state.protectionState !== 'ChangeRecoveryPointInitiated'
          ? undefined
          : {
              ...applyOutcome(item, { type: 'RecoveryPointChanged' }),
              recoveryVm: { vmId: env.data.vmId!, name: item.recovery.vmName, pointId: env.data.pointId!, pointsKey: item.itemKey, pinnedBy: env.job.jobId },
              failoverRecoveryPointId: env.data.pointId,
              currentScenario: undefined,
              updatedAt: new Date().toISOString(),
            },
      );
      return { next: {} };
    },
  },
];

registerJobKind(CHANGE_RECOVERY_POINT_JOB, { run: runSteps(changePointSteps, {}), onFailed: failWith({ type: 'RecoveryPointChanged' }) });

// ---- Commit ------------------------------------------------------------------------------------

/** Releases what a failover kept until commit: the pinned point, and after failback the recovery VM. */
async function commitEffects(env: StepEnv<OperationData>, item: ProtectedItemRecord): Promise<void> {
  if (item.recoveryVm) await env.services.points.unpin(item.recoveryVm.pointsKey, item.recoveryVm.pointId, item.recoveryVm.pinnedBy);
  if (item.state.replicationDirection === 'RecoveryToPrimary' && item.recoveryVm) {
    await deleteRecoveryVm(env.services, env.vault, item, item.recoveryVm.vmId);
  }
}

const commitSteps: Array<JobStep<OperationData>> = [
  {
    task: 'Committing the failover',
    async run(env) {
      const item = (await env.item()).value;
      if (item.state.protectionState === 'CommitFailoverInProgress') await commitEffects(env, item);
      return { next: {} };
    },
  },
  {
    task: 'Completing the commit',
    async run(env) {
      const row = await env.updateItem((item) => {
        if (item.state.protectionState !== 'CommitFailoverInProgress') return undefined;
        const failback = item.state.replicationDirection === 'RecoveryToPrimary';
        const committed: ProtectedItemRecord = { ...applyOutcome(item, { type: 'CommitCompleted' }), currentScenario: undefined, updatedAt: new Date().toISOString() };
        if (!failback) return committed;
        // Failback committed: the recovery VM is gone and protection resumes towards the recovery site.
        return beginReplication({ ...committed, recoveryVm: undefined }, new Date(), { resync: true });
      });
      if (row.value.state.protectionState === 'InitialReplicationInProgress' && row.value.replication.active) {
        await kickReplication(env.services, env.vault, row.value);
      }
      return { next: {} };
    },
  },
];

registerJobKind(COMMIT_JOB, { run: runSteps(commitSteps, {}), onFailed: failWith({ type: 'CommitFailed' }) });

// ---- Re-protect ----------------------------------------------------------------------------------

const reprotectSteps: Array<JobStep<OperationData>> = [
  {
    task: 'Committing the failover',
    async run(env) {
      const item = (await env.item()).value;
      if (!item.state.failoverCommitted && item.recoveryVm) {
        await env.services.points.unpin(item.recoveryVm.pointsKey, item.recoveryVm.pointId, item.recoveryVm.pinnedBy);
      }
      return { next: {} };
    },
  },
  {
    task: 'Checking the original site, virtual machine and disks',
    async run(env) {
      const item = (await env.item()).value;
      const primary = primaryOf(item);
      const site = env.services.site(env.vault, primary.fabricName);
      if (!(await site.getVm(primary.vmId))) {
        // The original VM is gone (site lost or VM deleted): recreate it, powered off, with empty
        // disks of the same ids, so re-protect copies everything back and failback starts it.
        await site.ensure();
        const recreated = await site.addVm({
          id: primary.vmId,
          name: item.friendlyName,
          osType: item.osType,
          generation: item.generation === 1 ? 1 : 2,
          cpuCount: item.cpuCount,
          memoryMB: item.memoryMB,
          powerState: 'Off',
          disks: primary.disks.map((disk) => ({ id: disk.diskId, name: disk.name, sizeBytes: disk.sizeBytes, isOsDisk: disk.isOsDisk })),
        });
        if (recreated.disks.some((disk) => primary.disks.find((d) => d.diskId === disk.id)?.blobName !== disk.blobName)) {
          throw new PermanentError(`The virtual machine '${item.friendlyName}' was recreated at site '${primary.fabricName}', but its disks do not sit where the protected disks did.`, {
            code: 'OriginalVmLayoutChanged',
            recommendedAction: 'Disable protection and enable it again for the virtual machine running at the recovery site.',
          });
        }
        await warn(env.context, 'OriginalVmRecreated', `The virtual machine '${item.friendlyName}' no longer existed at site '${primary.fabricName}'; it was recreated and its disks are copied back in full.`, 'None.');
      }
      const missing = await site.findMissingDisks(primary.vmId, primary.disks.map((disk) => ({ id: disk.diskId, sizeBytes: disk.sizeBytes })));
      if (missing.length > 0) {
        throw new PermanentError(`Re-protect reuses the original virtual machine's disks at site '${primary.fabricName}': ${missing.join(' ')}`, {
          code: 'OriginalDisksNotFound',
          possibleCauses: 'Disks of the virtual machine were detached, deleted or resized at the original site after failover.',
          recommendedAction: 'Restore the disks at the original site, or remove the virtual machine there so re-protect recreates it, then retry.',
        });
      }
      if (!item.recoveryVm) throw new PermanentError('The item has no virtual machine at the recovery site to replicate from.', { code: 'RecoveryVmNotFound' });
      // The service keeps the original disks fenced while it writes them.
      await site.fence(primary.vmId);
      return { next: {} };
    },
  },
  {
    task: 'Starting replication to the original site',
    async run(env) {
      const row = await env.updateItem((item) =>
        item.state.protectionState !== 'ReprotectInitiated'
          ? undefined
          : beginReplication({ ...applyOutcome(item, { type: 'ReprotectStarted' }), updatedAt: new Date().toISOString() }, new Date(), { resync: true }),
      );
      if (row.value.replication.active && !row.value.replication.cycle) await kickReplication(env.services, env.vault, row.value);
      return { next: {} };
    },
  },
  {
    task: 'Synchronizing the changes back to the original site',
    async run(env) {
      const item = (await env.item()).value;
      const state = item.state.protectionState;
      if (state === 'InitialReplicationInProgress' || state === 'ResynchronizationInProgress') {
        return { waitMs: 2_000, note: `${item.replication.initialReplicationPercent ?? 0}%` };
      }
      if (state !== 'Protected') throw new PermanentError(`Re-protect stopped in state '${state}'.`, { code: 'ReprotectInterrupted' });
      await env.updateItem((current) => (current.currentScenario?.jobId === env.job.jobId ? { ...current, currentScenario: undefined } : undefined));
      return { next: {} };
    },
  },
];

registerJobKind(REPROTECT_JOB, { run: runSteps(reprotectSteps, {}), onFailed: failWith({ type: 'ReprotectFailed' }) });

const STEPS: Readonly<Record<string, ReadonlyArray<JobStep<OperationData>>>> = {
  [TEST_FAILOVER_JOB]: testFailoverSteps,
  [TEST_FAILOVER_CLEANUP_JOB]: testFailoverCleanupSteps,
  [FAILOVER_JOB]: failoverSteps,
  [CHANGE_RECOVERY_POINT_JOB]: changePointSteps,
  [COMMIT_JOB]: commitSteps,
  [REPROTECT_JOB]: reprotectSteps,
};

/** The tasks a job of the failover family shows (its steps). */
export function failoverTasks(kind: string): Array<Pick<JobTask, 'name'>> {
  return tasksOf(STEPS[kind] ?? []);
}
