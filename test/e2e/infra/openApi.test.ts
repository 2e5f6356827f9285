import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { OpenApiDocument } from '../../../shared/arm/openApiDocument.js';
import { startService, type Service } from '../../support/clients.js';
import { armFetch, newSubscription } from './infraFixture.js';

let service: Service;
beforeAll(async () => {
  service = await startService();
});
afterAll(async () => {
  await service?.stop();
});

async function fetchDocument(headers: Record<string, string> = {}): Promise<{ response: Response; document: OpenApiDocument }> {
  const response = await fetch(`${service.baseUrl}/openapi.json`, { headers });
  const document: OpenApiDocument = JSON.parse(await response.text());
  return { response, document };
}

test('GET /api/openapi.json on the local host is the OpenAPI 3.1 document, without a key', async () => {
  const { response, document } = await fetchDocument();
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(document.openapi).toMatch(/^3\.1\.\d+$/);
  expect(document.servers).toEqual([{ url: service.baseUrl }]);
  const result = await new Validator().validate(document);
  expect(result.errors).toBeUndefined();
  expect(result.valid).toBe(true);
  // Anonymous: a wrong key changes nothing.
  expect((await fetchDocument({ 'x-functions-key': 'wrong' })).response.status).toBe(200);
});

test('every HTTP function the host lists is in the document, and a documented path is served as documented', async () => {
  const { document } = await fetchDocument();
  const listed = [...service.fullOutput().matchAll(/^\t(\w+): \[([A-Z,]+)\] http:\S+$/gm)].map(([, name = '', methods = '']) => ({ name, methods: methods.split(',') }));
  expect(listed.map(({ name }) => name)).toEqual(expect.arrayContaining(['openApi', 'hyperVSiteReport', 'vaults', 'zUnservedArmPaths']));
  const documented = Object.values(document.paths).flatMap((item) => Object.entries(item).map(([method, operation]) => `${operation.tags[0] ?? ''} ${method.toUpperCase()}`));
  // Not in the document: the ARM catch-all (it answers only errors) and the web console (files for a browser, no API).
  for (const { name, methods } of listed.filter(({ name }) => name !== 'zUnservedArmPaths' && name !== 'portal')) {
    for (const method of methods) expect(documented, `${method} of ${name}`).toContain(`${name} ${method}`);
  }

  const listVaults = document.paths['/subscriptions/{subscriptionId}/providers/Microsoft.RecoveryServices/vaults']?.get;
  const apiVersion = listVaults?.parameters.find((parameter) => parameter.name === 'api-version')?.schema;
  expect(apiVersion).toMatchObject({ enum: expect.arrayContaining(['2024-04-01']) });
  const answer = await armFetch(service, 'GET', `/subscriptions/${newSubscription()}/providers/Microsoft.RecoveryServices/vaults`, { apiVersion: '2024-04-01' });
  expect(answer.status).toBe(200);
  expect(answer.json).toEqual({ value: [] });
});
