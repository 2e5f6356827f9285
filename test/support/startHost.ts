/**
 * Spawns the built local host (`node dist/host/main.js --app <dir>`) on a free port with the test's
 * storage connection string, and resolves once it printed `Host started`. Assumes `dist/` is current
 * (`npm test` builds first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../scripts/azurite.js';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const hostMain = path.join(repoRoot, 'dist/host/main.js');
export const hostApp = path.join(repoRoot, 'test/fixtures/hostapp');

export interface StartHostOptions {
  appDir: string;
  connectionString: string;
  env?: Record<string, string>;
  args?: string[];
  /** How long to wait for `Host started` (default 30 s). */
  readyTimeoutMs?: number;
}

export interface RunningHost {
  url: string;
  port: number;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process exited. */
  exited: Promise<number | null>;
  /** SIGINT, then the exit code (SIGKILL after 15 s). */
  stop(): Promise<number | null>;
  /** SIGKILL. */
  kill(): void;
}

/** Starts a host; rejects (with its output) if it exits or is not ready in time. */
export async function startHost(opts: StartHostOptions): Promise<RunningHost> {
  const portFlag = opts.args?.indexOf('--port') ?? -1;
  const port = portFlag >= 0 ? Number(opts.args?.[portFlag + 1]) : await freePort();
  const child = spawn(process.execPath, [hostMain, '--app', opts.appDir, ...(opts.args ?? [])], {
    env: { ...process.env, AzureWebJobsStorage: opts.connectionString, PORT: String(port), ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const output = (): string => `--- stdout\n${out}\n--- stderr\n${err}`;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`Host not ready within ${opts.readyTimeoutMs ?? 30_000} ms\n${output()}`));
    }, opts.readyTimeoutMs ?? 30_000);
    const check = (): void => {
      if (out.includes('Host started')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`Host exited with code ${code} before it started\n${output()}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
}
