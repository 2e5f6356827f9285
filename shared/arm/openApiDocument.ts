/**
 * The OpenAPI 3.1 document of the app's HTTP API, built from the routes as they are registered:
 * every path of every route and method, its `api-version`, the request body as JSON Schema from the
 * very zod schema the handler validates it with (zod 4's `toJSONSchema`, the input side), the
 * success answers (a 202 with the LRO headers) and the ARM error envelope. Pure.
 */
import type { HttpMethod } from '@azure/functions';
import { z } from 'zod';
import type { ArmActions, ArmOperation, ArmOperations, SuccessStatus } from './armOperations.js';
import { ERROR_SCHEMAS, FUNCTION_KEY_SCHEMES, LRO_HEADERS, SHARED_RESPONSES, type JsonSchema } from './openApiComponents.js';
import { routePaths, withLastSegment, type RoutePath } from './routePaths.js';

/** An HTTP function as the document describes it: its registration and what it says of its operations. */
export interface DescribedRoute {
  name: string;
  methods: readonly HttpMethod[];
  /** The route template, under the route prefix (`api`). */
  route: string;
  authLevel: 'anonymous' | 'function';
  /** The api-versions it accepts; `false` when it takes none. */
  apiVersions: readonly string[] | false;
  /** For an anonymous route whose handler authenticates the caller itself: the header it reads the key from. */
  keyHeader?: string;
  operations?: ArmOperations;
}

/** One operation of the document (the fields this builder writes). */
export interface OpenApiOperation {
  tags: string[];
  operationId: string;
  summary: string;
  parameters: JsonSchema[];
  requestBody?: { required: boolean; content: { 'application/json': { schema: JsonSchema } } };
  responses: Record<string, JsonSchema>;
  security: Array<Record<string, string[]>>;
}

/** The document (a type, not an interface, so that it is a plain JSON object to validators). */
export type OpenApiDocument = {
  openapi: '3.1.1';
  info: { title: string; version: string; description: string };
  servers: Array<{ url: string }>;
  /** Operations by path, then by lower-case method. */
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: {
    schemas: Record<string, JsonSchema>;
    responses: Record<string, JsonSchema>;
    headers: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
  };
};

const DESCRIPTION = [
  "A wire-compatible subset of Azure Site Recovery's ARM API (`Microsoft.RecoveryServices` replication resources, `Microsoft.DataReplication`), plus the Hyper-V hosts' reports.",
  'Long-running operations answer 202 with `Azure-AsyncOperation` and `Location`, each backed by a job. Errors come in the ARM error envelope.',
  'Any other path under `/subscriptions/` is answered with an ARM error too: 405 for a served path sent with the wrong method, 404 otherwise.',
].join(' ');

const pascal = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);
const isActions = (entry: ArmOperation | ArmActions): entry is ArmActions => 'actions' in entry;

function successResponse(status: SuccessStatus, method: HttpMethod, operation: ArmOperation): JsonSchema {
  switch (status) {
    case 202:
      return { $ref: '#/components/responses/Accepted' };
    case 204:
      return { description: 'No content: nothing to do.' };
    case 201:
      return { description: 'Created.', content: { 'application/json': { schema: { type: 'object' } } } };
    case 200:
      if (method === 'DELETE') return { description: 'Deleted.' };
      return {
        description: 'OK.',
        content: Object.fromEntries((operation.produces ?? ['application/json']).map((type) => [type, { schema: type === 'application/json' ? { type: 'object' } : { type: 'string' } }])),
      };
  }
}

/** Collects the request body schemas, one component per zod schema, named after its first operation. */
function createBodySchemas(): { refFor(schema: z.ZodType, operationId: string): JsonSchema; schemas: Record<string, JsonSchema> } {
  const names = new Map<z.ZodType, string>();
  const schemas: Record<string, JsonSchema> = {};
  return {
    schemas,
    refFor(schema, operationId) {
      let name = names.get(schema);
      if (name === undefined) {
        name = `${operationId}Input`;
        // `cycles: 'throw'`: a recursive schema would need `$defs`, which a component cannot carry.
        const { $schema: _dialect, ...json } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any', cycles: 'throw' });
        if ('$defs' in json) throw new RangeError(`The request body of ${operationId} has schemas with ids ($defs), which a component cannot carry.`);
        schemas[name] = json;
        names.set(schema, name);
      }
      return { $ref: `#/components/schemas/${name}` };
    },
  };
}

/**
 * The OpenAPI document of `routes`, served at `/api` (the route prefix; a server can name its own
 * URL instead). Throws when a route serves a method other than GET without describing it.
 */
export function openApiDocument(routes: readonly DescribedRoute[]): OpenApiDocument {
  const bodies = createBodySchemas();
  const paths: OpenApiDocument['paths'] = {};
  const keySchemes: Record<string, JsonSchema> = {};

  const add = (route: DescribedRoute, method: HttpMethod, at: RoutePath, operationId: string, operation: ArmOperation): void => {
    const key = method.toLowerCase();
    const item = (paths[at.path] ??= {});
    if (item[key]) throw new RangeError(`${method} ${at.path} is described twice (${item[key].operationId}, ${operationId}).`);
    const parameters: JsonSchema[] = at.parameters.map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
    if (route.apiVersions !== false) {
      parameters.push({ name: 'api-version', in: 'query', required: true, description: 'The API version of the request.', schema: { type: 'string', enum: [...route.apiVersions] } });
    }
    const responses: Record<string, JsonSchema> = {};
    for (const status of operation.responses ?? [200]) responses[String(status)] = successResponse(status, method, operation);
    if (route.authLevel === 'function') responses['401'] = { $ref: '#/components/responses/Unauthorized' };
    responses.default = { $ref: '#/components/responses/Error' };
    let security: Array<Record<string, string[]>> = [];
    if (route.authLevel === 'function') security = Object.keys(FUNCTION_KEY_SCHEMES).map((scheme) => ({ [scheme]: [] }));
    else if (route.keyHeader) {
      keySchemes[route.keyHeader] = { type: 'apiKey', in: 'header', name: route.keyHeader, description: `The key the handler authenticates the caller by, in \`${route.keyHeader}\`.` };
      security = [{ [route.keyHeader]: [] }];
    }
    item[key] = {
      tags: [route.name],
      operationId,
      summary: operation.summary,
      parameters,
      ...(operation.requestBody
        ? {
            requestBody: {
              required: !operation.requestBody.safeParse(operation.missingBodyAs).success,
              content: { 'application/json': { schema: bodies.refFor(operation.requestBody, operationId) } },
            },
          }
        : {}),
      responses,
      security,
    };
  };

  for (const route of routes) {
    const { full, shorter } = routePaths(route.route);
    const all = [...shorter, full];
    const entries = route.methods.map((method) => ({ method, entry: route.operations?.[method] }));
    const actionParameter = entries.some(({ entry }) => entry && isActions(entry)) ? full.parameters.at(-1) : undefined;
    const plain = actionParameter === undefined ? all : all.filter((at) => !at.parameters.includes(actionParameter));
    const prefix = pascal(route.name);
    for (const { method, entry } of entries) {
      if (entry && isActions(entry)) {
        for (const [action, operation] of Object.entries(entry.actions)) add(route, method, withLastSegment(full, action), `${prefix}_${pascal(action)}`, operation);
        continue;
      }
      if (method === 'GET') {
        const operation = entry ?? { summary: `Gets ${route.name}.` };
        plain.forEach((at, index) => add(route, method, at, `${prefix}_${index === plain.length - 1 ? 'Get' : plain.length > 2 ? `List${index}` : 'List'}`, operation));
        continue;
      }
      const at = plain.at(-1);
      if (!entry || !at) throw new RangeError(`${route.name} serves ${method} on '${route.route}' without describing it (ArmFunction.operations).`);
      add(route, method, at, `${prefix}_${pascal(method.toLowerCase())}`, entry);
    }
  }

  return {
    openapi: '3.1.1',
    info: { title: 'Site Recovery on Functions', version: '1.0.0', description: DESCRIPTION },
    servers: [{ url: '/api' }],
    paths,
    components: {
      schemas: { ...ERROR_SCHEMAS, ...bodies.schemas },
      responses: { ...SHARED_RESPONSES },
      headers: { ...LRO_HEADERS },
      securitySchemes: { ...FUNCTION_KEY_SCHEMES, ...keySchemes },
    },
  };
}
