/**
 * `npm run package`'s zip, as the build writes it (`node dist/scripts/packageApp.js`; `npm test`
 * has built): its file list is exactly what the Function App needs, its functions load from its
 * contents alone (unpacked outside the repository, so no other node_modules is in reach), and a
 * host serving the unpacked zip prepares a vault through the official client.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import ignore from 'ignore';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareVault } from '../../../scripts/prepareVault.js';
import { createClients, repoRoot, startService, type Service } from '../../support/clients.js';

const run = promisify(execFile);

interface Manifest {
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
  main: string;
  engines: { node: string };
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/** The names `@azure/functions` was asked to register when every entry file of `appDir` is imported (outside a host it says so, one warning each). */
async function registeredFunctions(appDir: string): Promise<string[]> {
  const script = "const fs = await import('node:fs'); for (const f of fs.readdirSync('dist/functions').filter((f) => f.endsWith('.js'))) await import('./dist/functions/' + f);";
  const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: appDir, env: { PATH: process.env.PATH ?? '' } });
  return [...`${stdout}${stderr}`.matchAll(/register function "(\w+)"/g)].map((match) => match[1] as string).sort();
}

describe('npm run package', () => {
  let workDir: string;
  let unpacked: string;
  let entries: string[];
  let printed: string;
  let service: Service | undefined;

  beforeAll(async () => {
    workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'package-'));
    const zipFile = path.join(workDir, 'app.zip');
    printed = (await run(process.execPath, [path.join(repoRoot, 'dist/scripts/packageApp.js'), '--out', zipFile], { cwd: repoRoot })).stdout;
    const files = unzipSync(fs.readFileSync(zipFile));
    entries = Object.keys(files).sort();
    unpacked = path.join(workDir, 'app');
    for (const [name, bytes] of Object.entries(files)) {
      const target = path.join(unpacked, name);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, bytes);
    }
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('holds host.json, a runtime package.json, the compiled functions and what they import, and production node_modules only', () => {
    expect(printed).toMatch(/app\.zip: \d+ files, [\d.]+ MiB/);
    const top = new Set(entries.map((entry) => entry.split('/')[0]));
    expect([...top].sort()).toEqual(['dist', 'host.json', 'node_modules', 'package.json']);
    const built = new Set(entries.filter((entry) => entry.startsWith('dist/')).map((entry) => entry.split('/')[1]));
    expect([...built].every((dir) => ['functions', 'shared', 'portal'].includes(dir as string)), [...built].join()).toBe(true);

    // Every compiled function is in it; no TypeScript source, source map, test, benchmark, local host, script, CLI or local setting.
    const functions = fs.readdirSync(path.join(repoRoot, 'dist/functions')).filter((name) => name.endsWith('.js'));
    for (const name of functions) expect(entries).toContain(`dist/functions/${name}`);
    expect(entries.filter((entry) => entry.startsWith('dist/') && !entry.startsWith('dist/portal/') && !entry.endsWith('.js'))).toEqual([]);
    expect(entries.filter((entry) => !entry.startsWith('node_modules/') && /(\.ts|\.map|local\.settings\.json)$/.test(entry))).toEqual([]);
    expect(entries.filter((entry) => /^(dist\/)?(test|bench|host|scripts|cli|examples)\//.test(entry))).toEqual([]);

    // package.json: what Node and the Functions host read, the runtime dependencies as the repository declares them.
    const repo = readJson<Manifest>(path.join(repoRoot, 'package.json'));
    const shipped = readJson<Manifest>(path.join(unpacked, 'package.json'));
    expect(shipped).toMatchObject({ main: repo.main, engines: repo.engines, dependencies: repo.dependencies, type: 'module' });
    expect(shipped.devDependencies).toBeUndefined();
    expect(shipped.scripts).toBeUndefined();

    // node_modules: every runtime dependency; no package only the development tree needs (per package-lock.json).
    for (const name of Object.keys(repo.dependencies)) expect(entries).toContain(`node_modules/${name}/package.json`);
    const lock = readJson<{ packages: Record<string, { dev?: boolean }> }>(path.join(repoRoot, 'package-lock.json'));
    const devOnly = Object.entries(lock.packages).filter(([dir, entry]) => dir !== '' && entry.dev === true).map(([dir]) => `${dir}/package.json`);
    expect(devOnly.length).toBeGreaterThan(100);
    const shippedSet = new Set(entries);
    expect(devOnly.filter((file) => shippedSet.has(file))).toEqual([]);
    const devTools = Object.keys(repo.devDependencies ?? {}).filter((name) => lock.packages[`node_modules/${name}`]?.dev === true);
    expect(devTools).toEqual(expect.arrayContaining(['vitest', 'azurite', 'typescript', 'commander', 'fflate', '@azure/arm-recoveryservices-siterecovery']));
    for (const name of devTools) expect(shippedSet.has(`node_modules/${name}/package.json`), name).toBe(false);
  });

  it("has .funcignore let through what the zip holds of the app: the repository's own files but host.json and package.json stay home", async () => {
    const rules = ignore().add(fs.readFileSync(path.join(repoRoot, '.funcignore'), 'utf8'));
    const tracked = (await run('git', ['ls-files'], { cwd: repoRoot })).stdout.split('\n').filter(Boolean);
    const built = fs.readdirSync(path.join(repoRoot, 'dist'), { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => path.relative(repoRoot, path.join(entry.parentPath, entry.name)));
    const published = rules.filter([...tracked, ...built, 'local.settings.json', 'node_modules/@azure/functions/package.json']);
    const appFiles = entries.filter((entry) => !entry.startsWith('node_modules/'));
    expect(published.filter((file) => !file.startsWith('dist/')).sort()).toEqual(['host.json', 'node_modules/@azure/functions/package.json', 'package.json']);
    // The zip follows the functions' imports, .funcignore takes dist/functions, dist/shared and dist/portal whole: the same files, or more.
    expect(published.filter((file) => file.startsWith('dist/'))).toEqual(expect.arrayContaining(appFiles.filter((file) => file.startsWith('dist/'))));
    expect(published.filter((file) => file.startsWith('dist/') && !/^dist\/(functions|shared|portal)\//.test(file))).toEqual([]);
    expect(published.filter((file) => file.endsWith('.map') || file.endsWith('.ts'))).toEqual([]);
  });

  it('loads every function from its own contents, registering what the build registers', async () => {
    const fromZip = await registeredFunctions(unpacked);
    expect(fromZip).toEqual(await registeredFunctions(repoRoot));
    expect(fromZip.length).toBeGreaterThan(50);
    expect(fromZip).toEqual(expect.arrayContaining(['replicationProtectedItems', 'replicateItem', 'watchReplication', 'pruneRecoveryPoints', 'hyperVSiteReport', 'openApi']));
  });

  it('serves the API from the unpacked zip: a host loads it and a vault is prepared through the official client', async () => {
    service = await startService({ appDir: unpacked });
    const clients = createClients(service.baseUrl, service.functionKey);
    const vault = await prepareVault(service.baseUrl, service.functionKey, clients, {
      subscriptionId: '00000000-0000-0000-0000-000000000000',
      resourceGroupName: 'package-rg',
      vaultName: 'package-vault',
      sourceFabric: 'hyperv-site',
      recoveryFabric: 'recovery-site',
      policyName: 'package-policy',
      mappingName: 'package-mapping',
      replicationIntervalSeconds: 30,
      retentionHours: 24,
      appConsistentHours: 4,
      updateIntervalInMs: 250,
    });
    expect(vault.registrationKey).toMatch(/\S{16,}/);
    const mapping = await clients.siteRecovery.replicationProtectionContainerMappings.get('package-vault', 'package-rg', 'hyperv-site', vault.sourceContainer, 'package-mapping');
    expect(mapping.properties?.state).toBe('Paired');
  });
});
