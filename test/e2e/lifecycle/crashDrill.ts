/**
 * Crash drills on a protected item's operations: start an operation with the client's non-waiting
 * call, kill the host (SIGKILL) as soon as a chosen task of its job has started, restart the host in
 * place (same port and keys), and wait for the job to finish.
 *
 * Hosts run with `LOCAL_HOST_QUEUE_LEASE_SECONDS` short, so the message of a step that was executing
 * at the kill reappears within seconds rather than after the Functions host's 10-minute lease, and
 * with their invocations held on command (`LOCAL_HOST_FAULT_CONTROL=stdin`): `crashAt` holds each of
 * the job's steps at its start, looks at the job, and kills the host while a step waits or lets it
 * run, so no step can slip past the moment of the crash.
 */
import { expect } from 'vitest';
import type { Job } from '../../../shared/jobs/jobModel.js';
import { vaultPartition } from '../../../shared/repos/partitions.js';
import { startService, type Service } from '../../support/clients.js';
import type { HyperVSite } from '../../../shared/site/hyperv/hyperVSite.js';
import { runWorkload, type Workload } from '../../../shared/site/hyperv/runWorkload.js';
import { FAST, prepareProtection, waitForJob, type ProtectionVault } from '../protection/protectionFixture.js';
import { itemView, protectNewVm, type ItemView } from './lifecycleFixture.js';
import { holdJobSteps, type HeldJobSteps } from './heldJobSteps.js';

/** Environment of the drilled hosts: a step executing at a crash is received again after 2 s. */
const CRASH_DRILL_HOST_ENV = { LOCAL_HOST_QUEUE_LEASE_SECONDS: '2', LOCAL_HOST_FAULT_CONTROL: 'stdin' };

/** Starts a host for crash drills. */
export const startDrillService = (): Promise<Service> => startService({ env: CRASH_DRILL_HOST_ENV });

/** Options a drilled operation's client call takes. */
export interface DrillCallOptions {
  updateIntervalInMs: number;
  onResponse(response: { status: number; headers: { get(name: string): string | undefined } }): void;
}

export interface CrashDrill {
  /** The job as stored. */
  job(jobId: string): Promise<Job>;
  /**
   * Runs `start`, a non-waiting client call given these options (polling interval and a response
   * callback), and returns the job id its 202 names in `Azure-AsyncOperation`.
   */
  begin(start: (options: DrillCallOptions) => Promise<unknown>): Promise<string>;
  /**
   * Kills the host at the start of the job's first step on task `task` or later (the step held
   * there, so the job cannot run past the moment), restarts it; returns the job as it was. The step's
   * message is leased by the dead host and runs again on the new one.
   */
  crashAt(jobId: string, task: number): Promise<Job>;
  /** Kills the host as soon as `ready` holds for the running job, restarts it; returns the job as it was. */
  crashWhen(jobId: string, ready: (job: Job) => boolean | Promise<boolean>): Promise<Job>;
  /** Waits for the job: `Succeeded` with every task done and the item free again. */
  finished(jobId: string): Promise<Job>;
}

/** Whether the host's output shows an invocation of function `name` that has not finished. */
export function executing(output: string, name: string): boolean {
  const running = new Set([...output.matchAll(new RegExp(`Executing 'Functions\\.${name}' \\(Id=([0-9a-f-]+)\\)`, 'g'))].map((m) => m[1]));
  for (const m of output.matchAll(/Executed 'Functions\.\w+' \((?:Succeeded|Failed), Id=([0-9a-f-]+)/g)) running.delete(m[1]);
  return running.size > 0;
}

const succeeded = (job: Job): number => job.tasks.filter((t) => t.state === 'Succeeded').length;

/** Whether the job's next step works on task `task` or a later one (its tasks run in order). */
const reached = (job: Job, task: number): boolean => job.tasks[task]!.state !== 'NotStarted' || job.tasks.slice(0, task).every((t) => t.state === 'Succeeded');

/** Drills on item `itemName` of `p`; restarts replace `p.service`. */
export function crashDrill(p: ProtectionVault, itemName: string): CrashDrill {
  const item = () => p.sr.replicationProtectedItems.get(p.vault, p.rg, p.site, p.container, itemName);
  /** The held steps of the current host, following the job a drill is on. */
  let held: { steps: HeldJobSteps; host: Service; jobId?: string } | undefined;
  const endHolds = (): void => {
    held?.steps.end();
    held = undefined;
  };
  const restartInPlace = async (service: Service): Promise<void> => {
    endHolds();
    await service.kill();
    p.service = await startService({ port: service.port, functionKey: service.functionKey, masterKey: service.masterKey, env: CRASH_DRILL_HOST_ENV });
  };
  const drill: CrashDrill = {
    async job(jobId) {
      const row = await p.services.plane.jobs.get(vaultPartition(p.ref), jobId);
      if (!row) throw new Error(`job ${jobId} missing`);
      return row.value;
    },
    async begin(start) {
      endHolds();
      held = { steps: holdJobSteps(p.service), host: p.service };
      let status: string | undefined;
      await start({
        ...FAST,
        onResponse(response) {
          if (response.status === 202) status ??= response.headers.get('azure-asyncoperation');
        },
      });
      const jobId = status && new URL(status).pathname.split('/').pop();
      if (!jobId) throw new Error('the operation was not accepted as a job');
      held.jobId = jobId;
      held.steps.follow(jobId);
      return jobId;
    },
    async crashAt(jobId, task) {
      const service = p.service;
      if (held?.host !== service || held.jobId !== jobId) {
        endHolds();
        held = { steps: holdJobSteps(service), host: service, jobId };
        held.steps.follow(jobId);
      }
      const steps = held.steps;
      let timer: NodeJS.Timeout | undefined;
      const outOfTime = new Promise<never>((_, reject) => {
        const holds = (): string => service.fullOutput().split('\n').filter((line) => line.includes('Fault injection')).slice(-10).join('\n');
        timer = setTimeout(() => reject(new Error(`job ${jobId} did not reach task ${task} within 30 s; the host's last holds:\n${holds()}`)), 30_000);
      });
      const hostDied = service.exited.then(() => Promise.reject(new Error(`the host exited while job ${jobId} ran`)));
      // Our own kill below ends the host too: that rejection is expected and handled here.
      hostDied.catch(() => undefined);
      try {
        // A step of the job may be running already (one not held): look at the job first.
        for (let n: number | undefined; ; n = await Promise.race([steps.next(), outOfTime, hostDied])) {
          const current = await drill.job(jobId);
          if (!['NotStarted', 'InProgress'].includes(current.state)) throw new Error(`job ${jobId} ended (${current.state}) before the crash`);
          if (reached(current, task)) {
            await restartInPlace(service);
            expect(succeeded(current)).toBeGreaterThanOrEqual(1);
            expect(succeeded(current)).toBeLessThan(current.tasks.length);
            return current;
          }
          if (n !== undefined) steps.release(n);
        }
      } finally {
        clearTimeout(timer);
      }
    },
    async crashWhen(jobId, ready) {
      endHolds();
      const deadline = Date.now() + 30_000;
      for (;;) {
        const current = await drill.job(jobId);
        if (current.state === 'InProgress' && succeeded(current) < current.tasks.length && (await ready(current))) {
          await restartInPlace(p.service);
          expect(succeeded(current)).toBeGreaterThanOrEqual(1);
          return current;
        }
        if (!['NotStarted', 'InProgress'].includes(current.state)) throw new Error(`job ${jobId} ended (${current.state}) before the crash`);
        if (Date.now() > deadline) throw new Error(`job ${jobId} did not reach the moment of the crash: ${JSON.stringify(current.tasks)}`);
        await new Promise((r) => setTimeout(r, 2));
      }
    },
    async finished(jobId) {
      endHolds();
      expect(await waitForJob(p, jobId)).toBe('Succeeded');
      const done = await p.sr.replicationJobs.get(p.vault, p.rg, jobId);
      expect(done.properties?.tasks?.every((t) => t.state === 'Succeeded')).toBe(true);
      expect((await item()).properties?.currentScenario?.scenarioName).toBe('None');
      return drill.job(jobId);
    },
  };
  return drill;
}

/** A drill host with one protected VM whose workload writes throughout. */
export interface DrillBed {
  p: ProtectionVault;
  v: ItemView;
  drill: CrashDrill;
  recoverySite: HyperVSite;
  workload: Workload;
  /** Stops the workload (if still running) and the host. */
  close(): Promise<void>;
}

/** Starts a drill host and vault, protects a VM `itemName` with disks of `sizes`, and starts its workload. */
export async function drillBed(itemName: string, sizes: readonly number[]): Promise<DrillBed> {
  const p = await prepareProtection(await startDrillService(), 5);
  const vm = await protectNewVm(p, itemName, sizes);
  const workload = await runWorkload(p.hyperV, vm.id, { writesPerSecond: 20 });
  return {
    p,
    v: itemView(p, itemName, vm),
    drill: crashDrill(p, itemName),
    recoverySite: p.services.recoveryVmSite(p.ref, p.recovery),
    workload,
    async close() {
      await workload.stop().catch(() => undefined);
      await p.service.stop();
    },
  };
}
