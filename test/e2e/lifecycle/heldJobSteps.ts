/**
 * A drill host's job steps held at their start (`hold jobStep` on a host started with
 * `LOCAL_HOST_FAULT_CONTROL=stdin`), so a drill sees each step of the job it follows before the step
 * runs; the steps of every other job run at once.
 */
import type { Service } from '../../support/clients.js';

export interface HeldJobSteps {
  /** Follows job `jobId`: held steps of other jobs are released, now and as they arrive. */
  follow(jobId: string): void;
  /** The number of the next held step of the followed job (waits for one). */
  next(): Promise<number>;
  /** Lets held step `n` run. */
  release(n: number): void;
  /** Stops holding: every held step runs. */
  end(): void;
}

/** Holds the job steps of `host` from now on. */
export function holdJobSteps(host: Service): HeldJobSteps {
  const waiting: { n: number; text: string }[] = [];
  let followed: string | undefined;
  let wake: (() => void) | undefined;
  const releaseOthers = (): void => {
    if (followed === undefined) return;
    for (let i = waiting.length - 1; i >= 0; i--) {
      if (waiting[i]!.text.includes(followed)) continue;
      host.command(`release ${waiting[i]!.n}`);
      waiting.splice(i, 1);
    }
    wake?.();
  };
  const stopListening = host.onLine((line) => {
    const held = /Fault injection: holding 'runJob' #(\d+): (.*)$/.exec(line);
    if (!held) return;
    waiting.push({ n: Number(held[1]), text: held[2]! });
    releaseOthers();
  });
  host.command('hold jobStep');
  return {
    follow(jobId) {
      followed = jobId;
      releaseOthers();
    },
    async next() {
      while (waiting.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      return waiting.shift()!.n;
    },
    release: (n) => host.command(`release ${n}`),
    end() {
      stopListening();
      host.command('unhold jobStep');
    },
  };
}
