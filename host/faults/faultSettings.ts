/**
 * Fault settings of the local host, for tests and drills only (never honoured by the Functions host
 * in Azure, which this host stands in for):
 *
 * - `LOCAL_HOST_FAULT_DUPLICATE_DELIVERY=true` — every queue message is delivered twice, the second
 *   delivery overlapping the first (at-least-once made visible);
 * - `LOCAL_HOST_FAULT_CRASH_PROBABILITY=<0..1>` — the process kills itself (SIGKILL) with that
 *   probability at the start of a queue or timer invocation, and again before the host completes it
 *   (before the message is deleted or the timer's status recorded);
 * - `LOCAL_HOST_FAULT_DELAY_MS=<n>` — each queue or timer invocation starts after a random delay of
 *   up to n ms;
 * - `LOCAL_HOST_FAULT_CONTROL=stdin` — queue and timer invocations can be held at their start by
 *   commands on the host's standard input (see `invocationHolds.ts`), so a drill crashes the host at
 *   the moment it chooses;
 * - `LOCAL_HOST_FAULT_SEED=<text>` — seeds the random choices, so a run replays (a supervisor that
 *   restarts a killed host gives each generation its own seed, or it would crash at the same place).
 */
import { createSeededRandom, type Random } from './seededRandom.js';

export interface FaultSettings {
  duplicateDelivery: boolean;
  crashProbability: number;
  maxDelayMs: number;
  /** Whether standard input commands holds on invocations. */
  controlOnStdin: boolean;
  random: Random;
}

const settingNames = ['LOCAL_HOST_FAULT_DUPLICATE_DELIVERY', 'LOCAL_HOST_FAULT_CRASH_PROBABILITY', 'LOCAL_HOST_FAULT_DELAY_MS', 'LOCAL_HOST_FAULT_CONTROL'] as const;

function numberSetting(env: NodeJS.ProcessEnv, name: string, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return 0;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > max) throw new RangeError(`${name} must be a number from 0 to ${max}; got '${raw}'.`);
  return value;
}

function controlSetting(env: NodeJS.ProcessEnv): boolean {
  const raw = env.LOCAL_HOST_FAULT_CONTROL?.trim();
  if (!raw) return false;
  if (raw === 'stdin') return true;
  throw new RangeError(`LOCAL_HOST_FAULT_CONTROL must be 'stdin'; got '${raw}'.`);
}

function booleanSetting(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (!raw || raw === 'false' || raw === '0') return false;
  if (raw === 'true' || raw === '1') return true;
  throw new RangeError(`${name} must be true or false; got '${raw}'.`);
}

/** The fault settings in `env`, or undefined when none is set (the host then runs without faults). */
export function readFaultSettings(env: NodeJS.ProcessEnv): FaultSettings | undefined {
  if (!settingNames.some((name) => env[name]?.trim())) return undefined;
  return {
    duplicateDelivery: booleanSetting(env, 'LOCAL_HOST_FAULT_DUPLICATE_DELIVERY'),
    crashProbability: numberSetting(env, 'LOCAL_HOST_FAULT_CRASH_PROBABILITY', 1),
    maxDelayMs: numberSetting(env, 'LOCAL_HOST_FAULT_DELAY_MS', 60_000),
    controlOnStdin: controlSetting(env),
    random: createSeededRandom(env.LOCAL_HOST_FAULT_SEED?.trim() || String(Date.now())),
  };
}

/** One line naming the faults in force, for the host's start-up output. */
export function describeFaults(faults: FaultSettings): string {
  const parts = [
    faults.duplicateDelivery ? 'every queue message delivered twice' : undefined,
    faults.crashProbability > 0 ? `crash with probability ${faults.crashProbability} at invocation start and before completion` : undefined,
    faults.maxDelayMs > 0 ? `invocations delayed up to ${faults.maxDelayMs} ms` : undefined,
    faults.controlOnStdin ? 'invocations held and released by commands on standard input' : undefined,
  ].filter((part): part is string => part !== undefined);
  return `Fault injection (development only): ${parts.join('; ') || 'none'}.`;
}
