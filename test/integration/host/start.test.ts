/**
 * `npm start` (`node dist/scripts/start.js`): starts Azurite and the local host on the configured
 * ports with the real app, and stops everything on SIGINT with exit code 0.
 */
import { execFileSync, spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort } from '../../../scripts/azurite.js';
import { repoRoot } from '../../support/startHost.js';

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** All descendants of `pid` (via ps). */
function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number) as [number, number]);
  const found: number[] = [];
  const queue = [pid];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const [child, ppid] of table) {
      if (ppid !== parent) continue;
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('npm start', () => {
  it('starts Azurite and the host, answers HTTP, and stops everything on SIGINT', async () => {
    const [port, blob, queue, table] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), AZURITE_BLOB_PORT: String(blob), AZURITE_QUEUE_PORT: String(queue), AZURITE_TABLE_PORT: String(table) };
    delete env.AzureWebJobsStorage;
    const child = spawn(process.execPath, [path.join(repoRoot, 'dist/scripts/start.js')], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (output += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (output += c));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 45_000;
      let status: number | undefined;
      while (status === undefined) {
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no HTTP answer on ${port}\n${output}`);
        status = await fetch(`http://127.0.0.1:${port}/api/no-such-route`).then((r) => r.status, () => undefined);
        if (status === undefined) await new Promise((r) => setTimeout(r, 200));
      }
      expect(status).toBe(404);
      expect(await Promise.all([blob, queue, table].map(portAnswers))).toEqual([true, true, true]);
      const processes = descendants(child.pid!);
      expect(processes.length).toBeGreaterThanOrEqual(2);
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(processes.filter(alive)).toEqual([]);
      expect(await Promise.all([port, blob, queue, table].map(portAnswers))).toEqual([false, false, false, false]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
