/**
 * One invocation exactly as the Node worker runs it (functions-host.md §3): a GUID invocation id,
 * `getInvocationModel` → `getArguments` → preInvocation hooks (inputs and callback replaceable) →
 * `invokeFunction` → postInvocation hooks (result and error replaceable; errors are caught and
 * handed to them) → rethrow or `getResponse`, all within host.json `functionTimeout`; then the
 * queue output bindings are written.
 */
import { randomUUID } from 'node:crypto';
import { writeQueueOutputs } from '../queue/writeQueueOutputs.js';
import type { CoreRegistry, HookCallback } from './coreModule.js';
import { currentProgrammingModel } from './coreModule.js';
import type { EmitLog } from './createLogEmitter.js';
import type { HostConfig } from './hostConfig.js';
import type { CoreInvocationContext, Invoke, RegisteredFunction, RpcInvocationResponse } from './types.js';

/** Rejected when an invocation exceeds `functionTimeout`. */
export class FunctionTimeoutError extends Error {
  override name = 'FunctionTimeoutError';
}

async function runHooks(hooks: HookCallback[], context: Record<string, unknown>): Promise<void> {
  for (const hook of [...hooks]) await hook(context);
}

function formatTimeSpan(ms: number): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  const seconds = Math.floor(ms / 1000);
  return `${pad(Math.floor(seconds / 3600))}:${pad(Math.floor(seconds / 60) % 60)}:${pad(seconds % 60)}`;
}

function withTimeout<T>(work: Promise<T>, timeoutMs: number | null, fn: RegisteredFunction): Promise<T> {
  if (timeoutMs === null) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new FunctionTimeoutError(`Timeout value of ${formatTimeSpan(timeoutMs)} was exceeded by function: Functions.${fn.name}`)),
      timeoutMs,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** The {@link Invoke} of one loaded app. */
export function createInvoke(opts: {
  registry: CoreRegistry;
  appHookData: Record<string, unknown>;
  hostConfig: HostConfig;
  emitLog: EmitLog;
  env?: NodeJS.ProcessEnv;
}): Invoke {
  const { registry, appHookData, hostConfig, emitLog } = opts;

  async function run(fn: RegisteredFunction, coreCtx: CoreInvocationContext, setContext: (c: unknown) => void): Promise<RpcInvocationResponse> {
    const model = currentProgrammingModel();
    if (!model) throw new Error('The app set no programming model.');
    const invocationModel = model.getInvocationModel(coreCtx);
    const { context, inputs } = await invocationModel.getArguments();
    setContext(context);
    const hookData: Record<string, unknown> = {};
    const pre: Record<string, unknown> = { invocationContext: context, inputs, functionCallback: fn.callback, hookData, appHookData };
    coreCtx.state = 'preInvocationHooks';
    try {
      await runHooks(registry.hooks.preInvocation, pre);
    } finally {
      coreCtx.state = undefined;
    }
    const finalInputs = pre.inputs as unknown[];
    const post: Record<string, unknown> = { invocationContext: context, inputs: finalInputs, result: null, error: null, hookData, appHookData };
    coreCtx.state = 'invocation';
    try {
      post.result = await invocationModel.invokeFunction(context, finalInputs, pre.functionCallback as RegisteredFunction['callback']);
    } catch (error) {
      post.error = error;
    } finally {
      coreCtx.state = undefined;
    }
    coreCtx.state = 'postInvocationHooks';
    try {
      await runHooks(registry.hooks.postInvocation, post);
    } finally {
      coreCtx.state = undefined;
    }
    if (post.error !== null && post.error !== undefined) throw post.error instanceof Error ? post.error : new Error(`Non-error value thrown: ${JSON.stringify(post.error)}`);
    return invocationModel.getResponse(context, post.result);
  }

  return async (fn, request) => {
    const invocationId = randomUUID();
    let invocationContext: unknown;
    const coreCtx: CoreInvocationContext = {
      invocationId,
      request: { invocationId, functionId: fn.id, inputData: request.inputData, triggerMetadata: request.triggerMetadata },
      metadata: fn.metadata,
      state: undefined,
      log: (level, category, message) => emitLog({ level, category, message, functionName: fn.name, invocationId, invocationContext }),
    };
    const started = Date.now();
    emitLog({ level: 'information', category: 'system', message: `Executing 'Functions.${fn.name}' (Id=${invocationId})`, functionName: fn.name, invocationId });
    try {
      const response = await withTimeout(run(fn, coreCtx, (c) => (invocationContext = c)), hostConfig.functionTimeoutMs, fn);
      await writeQueueOutputs(fn, response, opts.env);
      emitLog({
        level: 'information',
        category: 'system',
        message: `Executed 'Functions.${fn.name}' (Succeeded, Id=${invocationId}, Duration=${Date.now() - started}ms)`,
        functionName: fn.name,
        invocationId,
      });
      return { invocationId, response };
    } catch (error) {
      const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
      emitLog({
        level: 'error',
        category: 'system',
        message: `Executed 'Functions.${fn.name}' (Failed, Id=${invocationId}, Duration=${Date.now() - started}ms)\n${detail}`,
        functionName: fn.name,
        invocationId,
      });
      throw error;
    }
  };
}
