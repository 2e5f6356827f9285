import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import type { OpenApiDocument } from '../../../shared/arm/openApiDocument.js';
import { repoRoot } from '../../support/clients.js';
import { componentSchema, schemaProblems } from '../../support/jsonSchemas.js';
import { requestBodyExamples, type MarkedExample } from '../../support/requestBodyExamples.js';
import { servedOpenApi } from '../../support/servedOpenApi.js';

const MARKER_HINT = '<!-- openapi: METHOD /path -->';

let document: OpenApiDocument;
beforeAll(async () => {
  document = (await servedOpenApi()).document;
});

/** Why an example does not validate against its operation's request body (none when it does). */
function problemsOf(example: MarkedExample): string[] {
  const where = `README.md:${example.line} (${example.method} ${example.path})`;
  const operation = document.paths[example.path]?.[example.method.toLowerCase()];
  if (!operation) return [`${where}: openapi.json has no such operation`];
  const ref = operation.requestBody?.content['application/json'].schema.$ref;
  if (typeof ref !== 'string') return [`${where}: the operation takes no request body`];
  if ('error' in example.body) return [`${where}: ${example.body.error}`];
  return schemaProblems(componentSchema(document, ref), example.body.value).map((problem) => `${where}: ${problem}`);
}

test('every request body example in the README validates against its operation in openapi.json', () => {
  const { marked } = requestBodyExamples(readFileSync(path.join(repoRoot, 'README.md'), 'utf8'));
  expect(marked.length).toBeGreaterThanOrEqual(3);
  expect(marked.flatMap(problemsOf)).toEqual([]);
});

test('every README block that looks like a request body is marked with its operation', () => {
  const { unmarked } = requestBodyExamples(readFileSync(path.join(repoRoot, 'README.md'), 'utf8'));
  expect(unmarked.map(({ line, firstLine }) => `README.md:${line} (${firstLine.slice(0, 60)}) looks like a request body: put ${MARKER_HINT} before it`)).toEqual([]);
});

test('the scan reads request lines, curl data and pointers, and flags unmarked bodies but not other JSON', () => {
  const policy = '/subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.RecoveryServices/vaults/{vaultName}/replicationPolicies/{policyName}';
  const body = '{ "properties": { "providerSpecificInput": { "instanceType": "HyperVReplicaAzure", "recoveryPointHistoryDuration": 10000 } } }';
  const markdown = [
    `<!-- openapi: PUT ${policy} -->`,
    '',
    '```http',
    'PUT …/replicationPolicies/p?api-version=2025-08-01',
    body,
    '```',
    `<!-- openapi: PUT ${policy} #/body -->`,
    '```json',
    `{ "method": "PUT", "body": ${body} }`,
    '```',
    '```sh',
    `curl -X PUT "$VAULT/replicationPolicies/p?api-version=2025-08-01" -H 'content-type: application/json' -d '${body}'`,
    '```',
    '```json',
    '{ "time": "2026-01-02T03:04:05Z", "level": "information", "message": "a log line" }',
    '```',
    '```json',
    '{ "id": "/subscriptions/s/…/replicationPolicies/p", "properties": {} }',
    '```',
  ].join('\n');
  const { marked, unmarked } = requestBodyExamples(markdown);
  expect(marked.map(({ line, method, path: at }) => ({ line, method, path: at }))).toEqual([
    { line: 3, method: 'PUT', path: policy },
    { line: 8, method: 'PUT', path: policy },
  ]);
  expect(marked.map(({ body: example }) => example)).toEqual([{ value: JSON.parse(body) }, { value: JSON.parse(body) }]);
  expect(unmarked.map(({ line }) => line)).toEqual([11]);
  // The history of 10 000 hours is more than a policy keeps: the check reports it, naming the field.
  expect(problemsOf(marked[0] as MarkedExample)).toEqual([expect.stringMatching(/^README\.md:3 \(PUT .*recoveryPointHistoryDuration: must be <= /)]);
});
