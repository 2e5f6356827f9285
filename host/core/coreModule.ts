/**
 * The `@azure/functions-core` module the Functions Node worker hands to the `@azure/functions`
 * library, and the registry behind it. `installCoreModule` proxies `Module.prototype.require` so
 * that exactly the id `'@azure/functions-core'` returns this module; the library caches it for the
 * life of the process, so each app load starts a fresh {@link CoreRegistry} behind the same object.
 */
import { createRequire } from 'node:module';
import { Disposable } from './Disposable.js';
import type {
  FunctionCallback,
  FunctionMetadata,
  ProgrammingModel,
  RegisteredFunction,
  RpcLogCategory,
  RpcLogLevel,
} from './types.js';

export const HOOK_NAMES = ['preInvocation', 'postInvocation', 'appStart', 'appTerminate', 'log'] as const;
export type HookName = (typeof HOOK_NAMES)[number];
export type HookCallback = (context: Record<string, unknown>) => unknown;

/** What the app registered through the core module during one load. */
export interface CoreRegistry {
  functions: Map<string, RegisteredFunction>;
  hooks: Record<HookName, HookCallback[]>;
  locked: boolean;
  /** Logs from `coreApi.log` (library system logs outside invocations). */
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
}

/** Version of the worker this module stands in for. */
export const WORKER_VERSION = '3.10.1';
/** Version of the Functions host this module reports. */
export const HOST_VERSION = '4.1037.0';

const FUNCTION_NAME = /^[a-z][a-z0-9_-]{0,127}$/i;

/** An error the library recognises as coming from the worker (`isAzureFunctionsSystemError`). */
function systemError<E extends Error>(error: E): E {
  return Object.assign(error, { isAzureFunctionsSystemError: true });
}

let current: CoreRegistry | undefined;
let programmingModel: ProgrammingModel | undefined;

function registry(): CoreRegistry {
  if (!current) throw systemError(new Error('No Functions app is loading.'));
  return current;
}

function findTrigger(metadata: FunctionMetadata): RegisteredFunction['trigger'] {
  const triggers = Object.entries(metadata.bindings).filter(([, b]) => (b.type ?? '').toLowerCase().endsWith('trigger'));
  const [first] = triggers;
  if (!first || triggers.length > 1) {
    throw systemError(new Error(`Function "${metadata.name}" must have exactly one trigger binding, found ${triggers.length}.`));
  }
  return { name: first[0], binding: first[1] };
}

/** `registerFunction(metadata, callback)` of the core module. */
function registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
  const reg = registry();
  if (reg.locked) throw systemError(new Error('A function can only be registered during app startup.'));
  if (!metadata || typeof metadata.name !== 'string' || !FUNCTION_NAME.test(metadata.name)) {
    throw systemError(new Error(`Invalid function name "${metadata?.name}": letters, digits, '_' and '-', starting with a letter, at most 128.`));
  }
  if (typeof callback !== 'function') throw systemError(new TypeError(`Function "${metadata.name}" needs a callback.`));
  const id = metadata.functionId || metadata.name;
  const duplicate = [...reg.functions.values()].some((f) => f.id === id || f.name.toLowerCase() === metadata.name.toLowerCase());
  if (duplicate) throw systemError(new Error(`A function with the name "${metadata.name}" (id "${id}") has already been registered.`));
  reg.functions.set(id, { id, name: metadata.name, metadata, callback, trigger: findTrigger(metadata) });
  return new Disposable(() => {
    if (reg.locked) throw systemError(new Error('A function can only be disposed during app startup.'));
    reg.functions.delete(id);
  });
}

/** `registerHook(name, callback)` of the core module. */
function registerHook(name: string, callback: HookCallback): Disposable {
  if (!(HOOK_NAMES as readonly string[]).includes(name)) throw systemError(new RangeError(`Unrecognized hook "${name}"`));
  const list = registry().hooks[name as HookName];
  list.push(callback);
  return new Disposable(() => {
    const index = list.indexOf(callback);
    if (index !== -1) list.splice(index, 1);
  });
}

/** The module object `require('@azure/functions-core')` returns. */
export const coreModule = {
  version: WORKER_VERSION,
  get hostVersion(): string {
    return HOST_VERSION;
  },
  registerFunction,
  registerHook,
  setProgrammingModel(model: ProgrammingModel): void {
    programmingModel = model;
  },
  getProgrammingModel(): ProgrammingModel {
    if (!programmingModel) throw systemError(new Error('No programming model has been set.'));
    return programmingModel;
  },
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void {
    current?.log(level, category, message);
  },
  Disposable,
};

/** The programming model the library set, if any. */
export function currentProgrammingModel(): ProgrammingModel | undefined {
  return programmingModel;
}

let installed = false;

/** Makes `require('@azure/functions-core')` return {@link coreModule}, in this process, once. */
export function installCoreModule(): void {
  if (installed) return;
  installed = true;
  const Module = createRequire(import.meta.url)('node:module') as { prototype: { require: (id: string) => unknown } };
  const original = Module.prototype.require;
  Module.prototype.require = function require(this: unknown, id: string) {
    if (id === '@azure/functions-core') return coreModule;
    return original.call(this, id);
  };
}

/** Starts a fresh registry for one app load; functions and hooks registered from now on land in it. */
export function beginRegistration(log: CoreRegistry['log']): CoreRegistry {
  current = {
    functions: new Map(),
    hooks: { preInvocation: [], postInvocation: [], appStart: [], appTerminate: [], log: [] },
    locked: false,
    log,
  };
  return current;
}
