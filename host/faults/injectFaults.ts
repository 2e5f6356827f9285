/**
 * Wraps an app's `invoke` with the configured faults for queue and timer invocations (HTTP requests
 * run as they are: a client sees a killed host as a refused connection anyway): a random delay
 * before the invocation, and a crash with the configured probability at its start and after it
 * returned, before the host completes it; and, when standard input commands them, holds at the start.
 */
import fs from 'node:fs';
import type { Invoke } from '../core/types.js';
import type { FaultSettings } from './faultSettings.js';
import { holdsCommandedBy } from './invocationHolds.js';

/** Kills this process at once, as a crash would: nothing after it runs, no shutdown hook, no flush. */
function crash(where: string): never {
  fs.writeSync(2, `[${new Date().toISOString()}] Fault injection: crashing ${where}.\n`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: the process was killed');
}

export function injectFaults(invoke: Invoke, faults: FaultSettings): Invoke {
  const maybeCrash = (where: string): void => {
    if (faults.crashProbability > 0 && faults.random() < faults.crashProbability) crash(where);
  };
  const holds = faults.controlOnStdin ? holdsCommandedBy(process.stdin) : undefined;
  return async (fn, request) => {
    if (fn.trigger.binding.type === 'httpTrigger') return invoke(fn, request);
    await holds?.wait(fn.name, request);
    if (faults.maxDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.floor(faults.random() * faults.maxDelayMs)));
    maybeCrash(`at the start of '${fn.name}'`);
    const result = await invoke(fn, request);
    maybeCrash(`before completing '${fn.name}'`);
    return result;
  };
}
