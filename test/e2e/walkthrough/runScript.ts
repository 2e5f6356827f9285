/** Runs a compiled script of this repository as a newcomer would: `node dist/<script> <args>`, in a child process. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../support/clients.js';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** The lines it printed on stdout. */
  lines: string[];
}

/**
 * Runs `node dist/<script> ...args` from the repository root with `env` over an environment that
 * names no storage, key or endpoint of its own; resolves once it exited (SIGKILL after `timeoutMs`).
 */
export function runScript(script: string, args: string[], env: Record<string, string>, timeoutMs = 120_000): Promise<ScriptRun> {
  const { HyperVSiteStorage: _site, AzureWebJobsStorage: _storage, FUNCTIONS_FUNCTION_KEY: _key, FUNCTIONS_MASTER_KEY: _master, SR_ENDPOINT: _endpoint, SR_KEY: _srKey, ...inherited } = process.env;
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', script), ...args], { cwd: repoRoot, env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, lines: stdout.split('\n').filter(Boolean) });
    });
  });
}
