/**
 * What a transition of the protection machine asks to be done, as data. A transition's `effects`
 * are applied together with its state change (in the same conditional write, then their follow-ups);
 * a command's `plan` is what its job then carries out, one task at a time.
 * `shared/protection/runEffects.ts` is the one place that carries them out.
 */
import type { RecoveryPointChoice } from './recoveryPointChoice.js';
import type { FailoverDirection } from './protectionState.js';
import type { OutcomeEvent } from './protectionEvents.js';

/** A VM the service made at the recovery site: the test VM, the failed-over VM, or the one a change of point replaces. */
export type ServiceVm = 'test' | 'recovery' | 'replacedRecovery';

export type ProtectionEffect =
  /** Warn in the job when the item has not passed a test failover recently. */
  | { type: 'warnIfNotDrilled' }
  /** Shut a VM down first: the source VM, or on failback the VM running at the recovery site. */
  | { type: 'shutDownVm'; vm: 'source' | 'recovery' }
  /** Replicate what is pending and wait for a recovery point taken after the operation began (`resync`: comparing every chunk by hash). */
  | { type: 'awaitFreshPoint'; resync?: boolean }
  /** Replicate what is pending while the VM still runs, so that the sync after its shutdown is short. */
  | { type: 'presyncChanges' }
  /** Choose the recovery point among the points of `direction` and pin it for the job. */
  | { type: 'pinPoint'; choice: RecoveryPointChoice; direction: FailoverDirection }
  /** Stop the item's replication, cleaning up a cycle it interrupts. */
  | { type: 'stopReplication' }
  /** End the background jobs (initial replication, repair) the command took the item over from. */
  | { type: 'endBackgroundJobs' }
  /** Hold the source VM's disks so that its host's writes fail (a warning when the VM is gone). */
  | { type: 'fenceSource' }
  /** Create (or find) a VM at the recovery site from the pinned point. */
  | { type: 'createRecoveryVm'; purpose: 'test' | 'failover'; networkId?: string }
  /**
   * Bring the original disks to the pinned reverse point and start the original VM on them;
   * `startRecreatedVm: false` refuses a VM re-protect had to recreate (ASR's `NoAction`).
   */
  | { type: 'restorePrimaryVm'; startRecreatedVm: boolean }
  /** Create the VM at another Hyper-V site of the vault from the pinned reverse point. */
  | { type: 'createVmAtAlternateSite'; fabricName: string }
  /** Delete a VM the service made at the recovery site, with its disks. */
  | { type: 'deleteVm'; vm: ServiceVm }
  /** Release the point a service-made VM was created from. */
  | { type: 'unpinVmPoint'; vm: ServiceVm }
  /** Check (or recreate) the original VM and its disks, and hold them for reverse replication. */
  | { type: 'prepareOriginalVm' }
  /** Hand the original VM's disks back to its host (disabling protection while the service holds them). */
  | { type: 'unfenceSource' }
  /** Start the VM at the primary site if it is off (a cancelled failover brings it back). */
  | { type: 'startSourceVm' }
  /** Start (or restart) replication in the item's direction; `resync` compares every chunk by hash. */
  | { type: 'startReplication'; resync: boolean }
  /** Make sure the replication chain runs: send its next message (cleaning up a cycle the restart interrupted). */
  | { type: 'resumeReplication' }
  /** Wait until replication has made the item `Protected`, then release it. */
  | { type: 'awaitProtected' }
  /** Report the operation's outcome to the machine. */
  | { type: 'report'; outcome: OutcomeEvent }
  /** Delete what replication wrote: replicas, snapshots, manifests, plans and point rows. */
  | { type: 'deleteReplicationData' }
  /** Remove the item row and the VM's protection mark. */
  | { type: 'removeItem' }
  /** The job no longer holds the item (`currentScenario` cleared). */
  | { type: 'releaseItem' }
  /** Release the point a failed job pinned, unless a VM the item keeps was made from it. */
  | { type: 'releaseJobPoint' };

export type EffectType = ProtectionEffect['type'];

/** The effects of `type` in a plan, in order. */
export function effectsOf<T extends EffectType>(effects: readonly ProtectionEffect[], type: T): Array<Extract<ProtectionEffect, { type: T }>> {
  return effects.filter((effect): effect is Extract<ProtectionEffect, { type: T }> => effect.type === type);
}
