/**
 * Types of the `@azure/functions-core` contract between the Functions Node worker and the
 * `@azure/functions` library (mirrors the worker's `types-core`), plus the local host's own
 * view of a registered function.
 */

/** Typed data as the host sends it over RPC; exactly one member is set. */
export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  stream?: Uint8Array | null;
  http?: RpcHttpData | null;
  int?: number | null;
  double?: number | null;
  collectionBytes?: { bytes?: Uint8Array[] | null } | null;
  collectionString?: { string?: string[] | null } | null;
  collectionDouble?: { double?: number[] | null } | null;
  collectionSint64?: { sint64?: number[] | null } | null;
}

export interface RpcNullableString {
  value?: string | null;
}

export interface RpcHttpData {
  method?: string | null;
  url?: string | null;
  headers?: Record<string, string> | null;
  nullableHeaders?: Record<string, RpcNullableString> | null;
  query?: Record<string, string> | null;
  nullableQuery?: Record<string, RpcNullableString> | null;
  params?: Record<string, string> | null;
  nullableParams?: Record<string, RpcNullableString> | null;
  body?: RpcTypedData | null;
  rawBody?: RpcTypedData | null;
  statusCode?: string | null;
  enableContentNegotiation?: boolean | null;
  cookies?: unknown[] | null;
  identities?: unknown[] | null;
}

export interface RpcParameterBinding {
  name?: string | null;
  data?: RpcTypedData | null;
}

export interface RpcBindingInfo {
  type?: string | null;
  direction?: 'in' | 'out' | 'inout' | null;
  dataType?: string | null;
  properties?: Record<string, string> | null;
  [option: string]: unknown;
}

export interface RpcRetryOptions {
  maxRetryCount?: number | null;
  delayInterval?: { seconds?: number; nanos?: number } | null;
  minimumInterval?: { seconds?: number; nanos?: number } | null;
  maximumInterval?: { seconds?: number; nanos?: number } | null;
  retryStrategy?: 'exponentialBackoff' | 'fixedDelay' | null;
}

export interface FunctionMetadata {
  name: string;
  functionId?: string;
  bindings: Record<string, RpcBindingInfo>;
  retryOptions?: RpcRetryOptions;
}

export interface RpcInvocationRequest {
  invocationId?: string | null;
  functionId?: string | null;
  inputData?: RpcParameterBinding[] | null;
  triggerMetadata?: Record<string, RpcTypedData> | null;
  traceContext?: unknown;
  retryContext?: unknown;
}

export interface RpcInvocationResponse {
  invocationId?: string | null;
  outputData?: RpcParameterBinding[] | null;
  returnValue?: RpcTypedData | null;
  result?: unknown;
}

export type RpcLogLevel = 'information' | 'debug' | 'error' | 'trace' | 'warning' | 'critical' | 'none';
export type RpcLogCategory = 'user' | 'system' | 'customMetric';

export interface CoreInvocationContext {
  invocationId: string;
  request: RpcInvocationRequest;
  metadata: FunctionMetadata;
  state?: 'preInvocationHooks' | 'postInvocationHooks' | 'invocation';
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
}

export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], functionCallback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<RpcInvocationResponse>;
}

export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreContext: CoreInvocationContext): InvocationModel;
  getCapabilities?(capabilities: Record<string, string>): Promise<Record<string, string>> | Record<string, string>;
}

export type FunctionCallback = (...args: unknown[]) => unknown;

/** A function as the local host knows it after the app registered it. */
export interface RegisteredFunction {
  /** The function's id (`functionId || name`). */
  id: string;
  name: string;
  metadata: FunctionMetadata;
  callback: FunctionCallback;
  /** The trigger binding (the one whose type ends in `Trigger`) and its name. */
  trigger: { name: string; binding: RpcBindingInfo };
}

/** What one invocation produced, as the library returned it. */
export interface InvocationResult {
  invocationId: string;
  response: RpcInvocationResponse;
}

/**
 * Runs one invocation of a registered function through the programming model
 * (`getInvocationModel` → `getArguments` → hooks → `invokeFunction` → `getResponse`),
 * within `functionTimeout`, and writes its non-HTTP output bindings (queue messages).
 * Rejects when the function (or a hook) throws or times out.
 */
export type Invoke = (
  fn: RegisteredFunction,
  request: { inputData: RpcParameterBinding[]; triggerMetadata: Record<string, RpcTypedData> },
) => Promise<InvocationResult>;
