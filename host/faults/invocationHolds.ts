/**
 * Holds on queue and timer invocations, commanded on the host's standard input (a drill's handle on
 * the moment a crash lands, where a crash probability can only land at random):
 *
 * - `hold <text>` — from now on, an invocation whose trigger data (a queue message's text) contains
 *   `<text>` waits at its start; each held invocation is announced on stderr as
 *   `Fault injection: holding '<fn>' #<n>: <trigger data>`;
 * - `release <n>` — held invocation `n` runs;
 * - `unhold <text>` — invocations matching `<text>` are no longer held (those waiting run).
 *
 * A drill holds a job's steps, looks at the job while one waits, and kills the host or releases it.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import type { Invoke } from '../core/types.js';

type InvocationRequest = Parameters<Invoke>[1];

export interface InvocationHolds {
  /** Resolves once the invocation may run: at once unless a hold matches it. */
  wait(functionName: string, request: InvocationRequest): Promise<void>;
}

/** Holds commanded by the lines of `input`; an unknown command is reported on stderr and ignored. */
export function holdsCommandedBy(input: NodeJS.ReadableStream): InvocationHolds {
  const patterns = new Set<string>();
  const waiting = new Map<number, { pattern: string; release(): void }>();
  let counter = 0;
  const say = (text: string): void => void fs.writeSync(2, `[${new Date().toISOString()}] Fault injection: ${text}\n`);
  const release = (n: number): void => {
    waiting.get(n)?.release();
    waiting.delete(n);
  };
  readline.createInterface({ input }).on('line', (line) => {
    const [command = '', ...rest] = line.trim().split(' ');
    const argument = rest.join(' ');
    if (command === 'hold' && argument) patterns.add(argument);
    else if (command === 'unhold' && argument) {
      patterns.delete(argument);
      for (const [n, held] of waiting) if (held.pattern === argument) release(n);
    } else if (command === 'release' && /^\d+$/.test(argument)) release(Number(argument));
    else say(`unknown command '${line.trim()}' (hold <text> | unhold <text> | release <n>).`);
  });
  return {
    wait(functionName, request) {
      const data = request.inputData.map((input) => input.data?.string ?? JSON.stringify(input.data ?? null)).join(' ');
      const pattern = [...patterns].find((p) => data.includes(p));
      if (pattern === undefined) return Promise.resolve();
      const n = ++counter;
      return new Promise<void>((resolve) => {
        waiting.set(n, { pattern, release: resolve });
        say(`holding '${functionName}' #${n}: ${data}`);
      });
    },
  };
}
