/**
 * Starts this app on the local host (`node dist/host/main.js --app <repo root>`, or another app folder) as a child
 * process on a free loopback port, with keys enforced, against a given storage account.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './azurite.js';

/** The nearest folder above `start` holding a package.json (from source and from `dist/` alike). */
function findRepoRoot(start: string): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`No package.json above ${start}`);
  }
}

/** The repository root (where package.json and dist/ live). */
export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

/** A running local host. */
export interface LocalHost {
  port: number;
  /** The host's process id. */
  pid: number;
  /** `http://127.0.0.1:<port>/api`. */
  baseUrl: string;
  functionKey: string;
  masterKey: string;
  connectionString: string;
  /** The host's recent output, for failure messages. */
  output(): string;
  /** Everything the host printed (stdout and stderr, interleaved as received) since it started. */
  fullOutput(): string;
  /** How many invocations of a function this host started (its `Executing 'Functions.<name>'` lines). */
  invocations(functionName: string): number;
  /** Calls `listener` with each line the host prints from now on; returns the call that stops it. */
  onLine(listener: (line: string) => void): () => void;
  /** Writes a line to the host's standard input (commands of `LOCAL_HOST_FAULT_CONTROL=stdin`). */
  command(line: string): void;
  /** Stops the host (SIGTERM, SIGKILL after 5 s) and waits for it to exit. */
  stop(): Promise<void>;
  /** Kills the host at once (SIGKILL), as a crash would. */
  kill(): Promise<void>;
  /** Resolves once the process exited, however it ended. */
  exited: Promise<void>;
}

/** Options of `startHost`. */
export interface StartHostOptions {
  /** Storage for the host (`AzureWebJobsStorage`). */
  connectionString: string;
  /** Port and keys to use (default: a free port, new keys) — e.g. to restart a host in place. */
  port?: number;
  functionKey?: string;
  masterKey?: string;
  /** Extra environment for the host. */
  env?: Record<string, string>;
  /** The app to load (default this repository; e.g. an unpacked deployment zip). */
  appDir?: string;
  /** How long to wait for `Host started` (default 30 s). */
  timeoutMs?: number;
}

/**
 * Starts the compiled app on the local host (it builds nothing) and resolves once it prints
 * `Host started`; rejects with the host's output when it exits or does not start in time.
 */
export async function startHost(options: StartHostOptions): Promise<LocalHost> {
  const port = options.port ?? (await freePort());
  const { connectionString } = options;
  const functionKey = options.functionKey ?? randomBytes(24).toString('base64url');
  const masterKey = options.masterKey ?? randomBytes(24).toString('base64url');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const appDir = options.appDir ?? repoRoot;
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'dist/host/main.js'), '--app', appDir, '--port', String(port)], {
    cwd: appDir,
    env: {
      ...process.env,
      AzureWebJobsStorage: connectionString,
      FUNCTIONS_FUNCTION_KEY: functionKey,
      FUNCTIONS_MASTER_KEY: masterKey,
      ...options.env,
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const printed: string[] = [];
  const counted = new Map<string, number>();
  const lineListeners = new Set<(line: string) => void>();
  const keep = (): ((chunk: Buffer) => void) => {
    let partialLine = '';
    return (chunk) => {
      const text = chunk.toString('utf8');
      printed.push(text);
      output = (output + text).slice(-20_000);
      const lines = (partialLine + text).split('\n');
      partialLine = lines.pop() ?? '';
      for (const line of lines) {
        const started = /Executing 'Functions\.(\w+)'/.exec(line)?.[1];
        if (started) counted.set(started, (counted.get(started) ?? 0) + 1);
        for (const listener of lineListeners) listener(line);
      }
    };
  };
  // A command written to a host that just died is lost, as it would be on a crashed machine.
  child.stdin?.on('error', () => undefined);
  child.stdout?.on('data', keep());
  child.stderr?.on('data', keep());
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`The host did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (): void => {
      if (output.includes('Host started')) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`The host exited during start-up:\n${output}`));
    });
  });

  return {
    port,
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${port}/api`,
    functionKey,
    masterKey,
    connectionString,
    output: () => output,
    fullOutput: () => printed.join(''),
    invocations: (functionName) => counted.get(functionName) ?? 0,
    onLine(listener) {
      lineListeners.add(listener);
      return () => lineListeners.delete(listener);
    },
    command(line) {
      child.stdin?.write(`${line}\n`);
    },
    exited,
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
