/**
 * Loads a Functions app as the Node worker does (functions-host.md §1): installs the
 * `@azure/functions-core` module, imports every file the package.json `main` glob matches (ESM or
 * CommonJS), runs `appStart` hooks, asks the programming model for its capabilities (which locks
 * the library's setup) and locks registration. Any entry-file error aborts start-up; a `main`
 * pattern that matches nothing only warns (an app without functions yet still serves HTTP).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { glob } from 'tinyglobby';
import { beginRegistration, currentProgrammingModel, installCoreModule } from './coreModule.js';
import { createInvoke } from './createInvoke.js';
import { createLogEmitter } from './createLogEmitter.js';
import type { HostConfig } from './hostConfig.js';
import type { HostLog } from './log.js';
import type { Invoke, RegisteredFunction } from './types.js';

export interface LoadedApp {
  appDir: string;
  functions: RegisteredFunction[];
  invoke: Invoke;
  /** Runs the `appTerminate` hooks. */
  terminate(): Promise<void>;
}

/** Capabilities the Node worker announces; they shape the data the host sends (§4). */
const WORKER_CAPABILITIES = {
  RpcHttpTriggerMetadataRemoved: 'true',
  RpcHttpBodyOnly: 'true',
  IgnoreEmptyValuedRpcHttpHeaders: 'true',
  UseNullableValueDictionaryForHttp: 'true',
  WorkerStatus: 'true',
  TypedDataCollection: 'true',
  RawHttpBodyBytes: 'true',
  HandlesWorkerTerminateMessage: 'true',
};

async function entryFiles(appDir: string): Promise<{ main: string; files: string[] }> {
  const packageFile = path.join(appDir, 'package.json');
  let main = 'index.js';
  if (fs.existsSync(packageFile)) {
    const pkg = JSON.parse(fs.readFileSync(packageFile, 'utf8')) as { main?: unknown };
    if (typeof pkg.main === 'string' && pkg.main) main = pkg.main;
  }
  const files = await glob(main, { cwd: appDir, absolute: true, onlyFiles: true });
  return { main, files: files.sort() };
}

/** Loads the app in `appDir`; rejects on any entry-file, hook or registration error. */
export async function loadApp(appDir: string, opts: { hostConfig: HostConfig; log: HostLog }): Promise<LoadedApp> {
  const dir = path.resolve(appDir);
  installCoreModule();
  const appHookData: Record<string, unknown> = {};
  /** `hookData` of the app-level hooks: shared by appStart and appTerminate only. */
  const appLevelHookData: Record<string, unknown> = {};
  const emitter: { emit?: ReturnType<typeof createLogEmitter> } = {};
  const registry = beginRegistration((level, category, message) => emitter.emit?.({ level, category, message }));
  const emitLog = createLogEmitter({ logHooks: registry.hooks.log, appHookData, logLevel: opts.hostConfig.logLevel, log: opts.log });
  emitter.emit = emitLog;

  const { main, files } = await entryFiles(dir);
  if (files.length === 0) opts.log.warn(`No files match the "main" entry point pattern "${main}" in ${dir}: no job functions found.`);
  for (const file of files) {
    try {
      await import(pathToFileURL(file).href);
    } catch (error) {
      throw new Error(`Worker was unable to load entry point "${path.relative(dir, file)}": ${(error as Error)?.message ?? String(error)}`, { cause: error });
    }
  }

  for (const hook of [...registry.hooks.appStart]) await hook({ hookData: appLevelHookData, appHookData, functionAppDirectory: dir });

  const model = currentProgrammingModel();
  if (model?.getCapabilities) {
    const capabilities = await model.getCapabilities({ ...WORKER_CAPABILITIES });
    if (capabilities.HttpUri) {
      throw new Error('The app enables HTTP streaming (app.setup({ enableHttpStream: true })), which this host does not support; remove it to run locally.');
    }
  }
  registry.locked = true;

  return {
    appDir: dir,
    functions: [...registry.functions.values()],
    invoke: createInvoke({ registry, appHookData, hostConfig: opts.hostConfig, emitLog }),
    async terminate() {
      for (const hook of [...registry.hooks.appTerminate]) await hook({ hookData: appLevelHookData, appHookData });
    },
  };
}
