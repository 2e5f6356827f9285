/**
 * Runs the built `sr` CLI (`node dist/cli/main.js`) as a subprocess against a local host, with its
 * own config directory, and the local Hyper-V site CLI beside it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, type Service } from '../../support/clients.js';

export interface SrResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON. */
  json<T = unknown>(): T;
}

export interface SrRunner {
  (args: readonly string[], env?: Record<string, string | undefined>): Promise<SrResult>;
  /** The environment each run gets. */
  env: Record<string, string>;
  /** Starts `sr` without waiting for it (for Ctrl-C). */
  spawn(args: readonly string[]): ChildProcess;
}

export const srMain = path.join(repoRoot, 'dist/cli/main.js');
export const siteMain = path.join(repoRoot, 'dist/scripts/site.js');

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<SrResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json<T>() {
          try {
            return JSON.parse(stdout) as T;
          } catch {
            throw new Error(`sr ${args.join(' ')} printed no JSON (exit ${code}):\n${stdout}\n--- stderr\n${stderr}`);
          }
        },
      }),
    );
  });
}

/** A runner of `sr` against `service`, for vault `vault` in group `resourceGroup`. */
export function srRunner(service: Service, resourceGroup: string, vault: string): SrRunner {
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sr-config-'));
  const env: Record<string, string> = {
    SR_ENDPOINT: service.baseUrl,
    SR_KEY: service.functionKey,
    SR_RESOURCE_GROUP: resourceGroup,
    SR_VAULT: vault,
    SR_CONFIG_DIR: configDir,
    SR_POLL_MS: '250',
  };
  const runner = (args: readonly string[], extra: Record<string, string | undefined> = {}): Promise<SrResult> => {
    const merged: NodeJS.ProcessEnv = { ...process.env, ...env, ...extra };
    for (const [name, value] of Object.entries(extra)) if (value === undefined) delete merged[name];
    return run(process.execPath, [srMain, ...args], merged);
  };
  return Object.assign(runner, {
    env,
    spawn: (args: readonly string[]) => spawn(process.execPath, [srMain, ...args], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }),
  });
}

/** Runs the local Hyper-V site CLI (`node dist/scripts/site.js`) on the service's storage. */
export function site(service: Service, args: readonly string[]): Promise<SrResult> {
  return run(process.execPath, [siteMain, ...args], { ...process.env, HyperVSiteStorage: service.connectionString });
}

/** Runs `sr` under a pseudo-terminal (util-linux `script`) and returns what the terminal showed. */
export async function srOnTerminal(runner: SrRunner, args: readonly string[]): Promise<SrResult> {
  const line = [process.execPath, srMain, ...args].map((word) => `'${word.replace(/'/g, `'\\''`)}'`).join(' ');
  return run('script', ['-qfec', line, '/dev/null'], { ...process.env, ...runner.env, COLUMNS: '160', LINES: '40' });
}

/** The escape character that starts a terminal control sequence. */
export const ESC = String.fromCharCode(27);

/** Output without terminal control sequences. */
export const plainText = (text: string): string => text.replace(new RegExp(`${ESC}\\[[0-9;?]*[A-Za-z]`, 'g'), '');

