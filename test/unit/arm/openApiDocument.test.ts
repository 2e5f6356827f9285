import { readdirSync } from 'node:fs';
import path from 'node:path';
import { HttpRequest, InvocationContext, type HttpFunctionOptions, type HttpMethod } from '@azure/functions';
import type * as Functions from '@azure/functions';
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, expect, test, vi } from 'vitest';
import { armHandler } from '../../../shared/arm/armHandler.js';
import type { ArmFunction } from '../../../shared/arm/armFunction.js';
import { openApiDocument, type OpenApiDocument, type OpenApiOperation } from '../../../shared/arm/openApiDocument.js';
import { accepted } from '../../../shared/arm/responses.js';
import { toErrorResponse } from '../../../shared/arm/toErrorResponse.js';
import { createArmRouter } from '../../../shared/automation/armRouter.js';
import { HttpError } from '../../../shared/errors/HttpError.js';
import { PLAN_OPERATION_ROUTES } from '../../../shared/plans/planCommands.js';
import { itemOperationNames } from '../../../shared/protection/protectedItemOperations.js';
import { repoRoot } from '../../support/clients.js';
import { componentSchema, schemaProblems } from '../../support/jsonSchemas.js';
import { servedOpenApi } from '../../support/servedOpenApi.js';

/** Every `app.http` registration the app's function files make when loaded. */
const registered = vi.hoisted((): Array<{ name: string; options: HttpFunctionOptions }> => []);

vi.mock('@azure/functions', async (importOriginal) => {
  const original = await importOriginal<typeof Functions>();
  const ignore = (): void => undefined;
  return { ...original, app: { ...original.app, timer: ignore, storageQueue: ignore, http: (name: string, options: HttpFunctionOptions) => void registered.push({ name, options }) } };
});

const CATCH_ALL = 'subscriptions/{*path}';
/** The web console's page and scripts (`functions/portal.ts`): static files, no API, so not in the document. */
const PORTAL = 'portal/{*path}';

let document: OpenApiDocument;
beforeAll(async () => {
  const functionsDir = path.join(repoRoot, 'functions');
  for (const file of readdirSync(functionsDir).filter((name) => name.endsWith('.ts'))) await import(path.join(functionsDir, file));
  const served = await servedOpenApi('http://127.0.0.1:7071/api/openapi.json');
  expect(served.status).toBe(200);
  document = served.document;
});

/** Every operation of the document with its path and method. */
function operations(): Array<{ path: string; method: string; operation: OpenApiOperation }> {
  return Object.entries(document.paths).flatMap(([at, item]) => Object.entries(item).map(([method, operation]) => ({ path: at, method, operation })));
}

const operationOf = (id: string): OpenApiOperation | undefined => operations().find(({ operation }) => operation.operationId === id)?.operation;

test('the served document is valid OpenAPI 3.1, served from where it was fetched', async () => {
  const result = await new Validator().validate(document);
  expect(result.errors).toBeUndefined();
  expect(result.valid).toBe(true);
  expect(document.openapi).toMatch(/^3\.1\.\d+$/);
  expect(document.servers).toEqual([{ url: 'http://127.0.0.1:7071/api' }]);
});

test('every HTTP route the app registers is in the document, and each documented path reaches the function that documents it', () => {
  expect(registered.map(({ name }) => name)).toEqual(expect.arrayContaining(['hyperVSiteReport', 'openApi', 'zUnservedArmPaths', 'replicationProtectedItems', 'portal']));
  const stub = Object.assign(() => Promise.resolve({ status: 204 }), { apiVersions: false as const });
  const functions: ArmFunction[] = registered.map(({ name, options }) => ({ name, methods: options.methods ?? ['GET', 'POST'], route: options.route ?? name, handler: stub }));
  const router = createArmRouter(functions);
  const all = operations();
  for (const fn of functions) {
    if (fn.route === CATCH_ALL || fn.route === PORTAL) {
      // The catch-all answers only errors (404/405) and has no OpenAPI form; the document says so.
      // The console serves files to a browser, no API.
      expect(all.filter(({ operation }) => operation.tags.includes(fn.name))).toEqual([]);
      continue;
    }
    for (const method of fn.methods) {
      const documented = all.filter(({ method: m, operation }) => m === method.toLowerCase() && operation.tags[0] === fn.name);
      expect(documented.length, `${method} ${fn.route} (${fn.name})`).toBeGreaterThan(0);
    }
  }
  expect(document.info.description).toContain('Any other path under `/subscriptions/`');
  for (const { path: at, method, operation } of all) {
    const concrete = at.replace(/\{([^}]+)\}/g, (_whole, name: string) => `sample-${name}`);
    expect(router.find(method, concrete)?.fn.name, `${method.toUpperCase()} ${at}`).toBe(operation.tags[0]);
  }
});

test('each operation an action segment dispatches on is a path of its own', () => {
  const actionsOf = (tag: string): string[] =>
    operations()
      .filter(({ operation }) => operation.tags[0] === tag)
      .map(({ path: at }) => at.split('/').at(-1) ?? '');
  expect(actionsOf('protectedItemOperations').map((name) => name.toLowerCase()).sort()).toEqual([...itemOperationNames()].sort());
  expect(actionsOf('replicationRecoveryPlanOperations').map((name) => name.toLowerCase()).sort()).toEqual(Object.keys(PLAN_OPERATION_ROUTES).sort());
  expect(actionsOf('protectedItemOperations')).toContain('testFailover');
  expect(Object.keys(document.paths).filter((at) => at.includes('{operation}') || at.includes('{action}'))).toEqual([]);
});

test('paths, api-versions and keys are as the routes register them', () => {
  const vaults = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.RecoveryServices/vaults';
  expect(Object.keys(document.paths[vaults] ?? {})).toEqual(['get']);
  expect(Object.keys(document.paths[`${vaults}/{vaultName}`] ?? {})).toEqual(['get', 'put', 'patch', 'delete']);
  const put = document.paths[`${vaults}/{vaultName}`]?.put;
  expect(put?.parameters.map((parameter) => parameter.name)).toEqual(['subscriptionId', 'resourceGroupName', 'vaultName', 'api-version']);
  expect(put?.parameters.at(-1)).toMatchObject({ in: 'query', required: true, schema: { enum: expect.arrayContaining(['2024-04-01']) } });
  expect(put?.security).toEqual([{ functionKey: [] }, { functionKeyQuery: [] }]);
  expect(Object.keys(put?.responses ?? {})).toEqual(['200', '201', '401', 'default']);
  const report = document.paths['/hyperVSites/report']?.post;
  expect(report?.parameters).toEqual([]);
  expect(report?.security).toEqual([{ 'x-ms-registration-key': [] }]);
  expect(document.components.securitySchemes['x-ms-registration-key']).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-ms-registration-key' });
  expect(document.paths['/openapi.json']?.get?.security).toEqual([]);
  expect(Object.keys(document.paths[`${vaults}/{vaultName}/replicationVaultHealth/{name}/refresh`] ?? {})).toEqual(['post']);
});

test('request bodies are the schemas their handlers validate with: what the handler accepts validates, what it refuses does not', () => {
  const bodyOf = (id: string) => {
    const ref = operationOf(id)?.requestBody?.content['application/json'].schema.$ref;
    expect(typeof ref, id).toBe('string');
    return componentSchema(document, String(ref));
  };
  const testFailover = bodyOf('ProtectedItemOperations_TestFailover');
  expect(schemaProblems(testFailover, { properties: { failoverDirection: 'PrimaryToRecovery', providerSpecificDetails: { instanceType: 'HyperVReplicaAzure', recoveryPointId: 'LatestProcessed' } } })).toEqual([]);
  expect(schemaProblems(testFailover, { properties: { failoverDirection: 'Sideways' } })).not.toEqual([]);
  expect(schemaProblems(testFailover, {})).not.toEqual([]);
  const policy = bodyOf('ReplicationPolicies_Put');
  expect(schemaProblems(policy, { properties: { providerSpecificInput: { instanceType: 'HyperVReplicaAzure', recoveryPointHistoryDuration: 24 } } })).toEqual([]);
  expect(schemaProblems(policy, { properties: { providerSpecificInput: { instanceType: 'HyperVReplicaAzure', recoveryPointHistoryDuration: 10_000 } } })).not.toEqual([]);
  // Required when a missing body fails validation; optional where the handler reads it as `{}`.
  expect(operationOf('ProtectedItemOperations_TestFailover')?.requestBody?.required).toBe(true);
  expect(operationOf('ProtectedItemOperations_TestFailoverCleanup')?.requestBody?.required).toBe(false);
  expect(operationOf('Vaults_Patch')?.requestBody?.required).toBe(false);
  expect(operationOf('ProtectedItemOperations_FailoverCommit')?.requestBody).toBeUndefined();
});

test('errors are described as the ARM envelope the app writes, long-running answers with the headers it sends', async () => {
  const envelope = componentSchema(document, '#/components/schemas/ErrorResponse');
  const refused = toErrorResponse(new HttpError(400, 'InvalidParameter', "Invalid value for 'properties.policyId'.", [{ code: 'InvalidParameter', message: 'a', target: 'properties.policyId' }], 'properties.policyId'));
  expect(schemaProblems(envelope, refused.jsonBody)).toEqual([]);
  expect(schemaProblems(envelope, toErrorResponse(new Error('boom')).jsonBody)).toEqual([]);
  expect(schemaProblems(envelope, { code: 'NotAnEnvelope' })).not.toEqual([]);

  const lro = armHandler((request) => Promise.resolve(accepted(request, { statusPath: '/subscriptions/s/operations/1', locationPath: '/subscriptions/s/items/1' })), { apiVersions: false });
  const response = await lro(new HttpRequest({ method: 'POST', url: 'http://127.0.0.1:7071/api/subscriptions/s/items/1/go' }), new InvocationContext({ functionName: 'lro' }));
  expect(response.status).toBe(202);
  const sent = Object.keys(response.headers ?? {}).map((name) => name.toLowerCase());
  const described = Object.keys(document.components.responses.Accepted?.headers ?? {});
  expect(described.length).toBe(3);
  for (const name of described) expect(sent).toContain(name.toLowerCase());
  expect(operationOf('ProtectedItemOperations_TestFailover')?.responses['202']).toEqual({ $ref: '#/components/responses/Accepted' });
  expect(operationOf('ProtectedItemOperations_TestFailover')?.responses.default).toEqual({ $ref: '#/components/responses/Error' });
});

test('a route serving a method it does not describe is refused, naming it', () => {
  const route = { name: 'widgets', route: 'widgets/{widgetName?}', authLevel: 'function' as const, apiVersions: false as const };
  expect(() => openApiDocument([{ ...route, methods: ['GET', 'PUT'] satisfies HttpMethod[] }])).toThrow(/widgets serves PUT/);
  const described = openApiDocument([{ ...route, methods: ['GET', 'PUT'], operations: { PUT: { summary: 'Puts a widget.' } } }]);
  expect(Object.keys(described.paths)).toEqual(['/widgets', '/widgets/{widgetName}']);
  expect(Object.keys(described.paths['/widgets/{widgetName}'] ?? {})).toEqual(['get', 'put']);
});
