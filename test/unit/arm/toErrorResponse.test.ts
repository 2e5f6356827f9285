import { HttpRequest, InvocationContext } from '@azure/functions';
import { expect, test } from 'vitest';
import { armHandler } from '../../../shared/arm/armHandler.js';
import { accepted, listPage } from '../../../shared/arm/responses.js';
import { toErrorResponse } from '../../../shared/arm/toErrorResponse.js';
import { ConcurrencyError } from '../../../shared/errors/ConcurrencyError.js';
import { HttpError } from '../../../shared/errors/HttpError.js';
import { redactSecrets } from '../../../shared/errors/redactSecrets.js';

test('HttpError maps to its status and the ARM envelope', () => {
  const response = toErrorResponse(new HttpError(409, 'InUse', 'Busy.', [{ code: 'X', message: 'y' }], 'name'));
  expect(response).toEqual({ status: 409, jsonBody: { error: { code: 'InUse', message: 'Busy.', target: 'name', details: [{ code: 'X', message: 'y' }] } } });
  expect(toErrorResponse(new ConcurrencyError('changed', 'x')).status).toBe(409);
});

test('anything else is a generic 500, logged without secrets', () => {
  const logged: string[] = [];
  const response = toErrorResponse(new Error('boom AccountKey=abc123;'), { error: (message: unknown) => logged.push(String(message)) });
  expect(response).toMatchObject({ status: 500, jsonBody: { error: { code: 'InternalServerError' } } });
  expect(JSON.stringify(response)).not.toContain('boom');
  expect(logged[0]).toContain('AccountKey=[redacted]');
  expect(logged[0]).not.toContain('abc123');
});

test('redactSecrets hides keys, SAS signatures and tokens', () => {
  expect(redactSecrets('https://a/b?sv=1&sig=SECRET&x=1 x-functions-key: K1 Bearer eyJ.abc')).toBe('https://a/b?sv=1&sig=[redacted]&x=1 x-functions-key: [redacted] Bearer [redacted]');
});

const logged: unknown[][] = [];
const context = () => new InvocationContext({ functionName: 'test', logHandler: (_level, ...args) => logged.push(args) });
const url = 'http://127.0.0.1:7071/api/subscriptions/s/resourceGroups/g/providers/Microsoft.RecoveryServices/vaults/v/replicationPolicies/p';

test('armHandler checks api-version, parses JSON and maps errors', async () => {
  const echo = armHandler(async (request) => ({ status: 200, jsonBody: { body: request.body, base: request.baseUrl } }));
  const okResponse = await echo(new HttpRequest({ method: 'PUT', url: `${url}?api-version=2023-06-01`, body: { string: '{"a":1}' }, headers: { 'x-ms-correlation-request-id': 'caller-1' } }), context());
  expect(okResponse).toEqual({ status: 200, jsonBody: { body: { a: 1 }, base: 'http://127.0.0.1:7071/api' }, headers: { 'x-ms-correlation-request-id': 'caller-1', 'x-ms-request-id': expect.stringMatching(/^[0-9a-f-]{36}$/) } });
  const malformed = await echo(new HttpRequest({ method: 'PUT', url: `${url}?api-version=2023-06-01`, body: { string: '{"a":' } }), context());
  expect(malformed).toMatchObject({ status: 400, jsonBody: { error: { code: 'InvalidRequestContent' } } });
  const noVersion = await echo(new HttpRequest({ method: 'GET', url }), context());
  expect(noVersion).toMatchObject({ status: 400, jsonBody: { error: { code: 'MissingApiVersionParameter' } } });
  const failing = armHandler(async () => {
    throw new TypeError('unexpected');
  });
  expect(await failing(new HttpRequest({ method: 'GET', url: `${url}?api-version=2023-06-01` }), context())).toMatchObject({ status: 500 });
  expect(String(logged.at(-1))).toContain('TypeError: unexpected');
});

test.each([
  ['[1,2]', 'an array'],
  ['"text"', 'a string'],
  ['42', 'a number'],
  ['true', 'a boolean'],
  ['null', 'null'],
])('armHandler refuses a body that is not a JSON object (%s) before the handler runs', async (text, named) => {
  let ran = false;
  const handler = armHandler(async () => {
    ran = true;
    return { status: 202 };
  });
  const response = await handler(new HttpRequest({ method: 'POST', url: `${url}/export?api-version=2023-06-01`, body: { string: text } }), context());
  expect(response).toMatchObject({ status: 400, jsonBody: { error: { code: 'InvalidRequestContent', message: `The request content must be a JSON object, not ${named}.` } } });
  expect(ran).toBe(false);
});

test('accepted and listPage build absolute URLs from the request', async () => {
  let captured: unknown;
  const handler = armHandler(async (request) => {
    captured = [accepted(request, { statusPath: '/subscriptions/s/op/1', locationPath: '/subscriptions/s/thing' }), listPage(request, [1], 'token+/=')];
    return { status: 200 };
  });
  await handler(new HttpRequest({ method: 'GET', url: `${url}?api-version=2023-06-01` }), context());
  const [acceptedResponse, page] = captured as Array<{ status: number; headers: Record<string, string>; jsonBody: { nextLink: string } }>;
  expect(acceptedResponse?.status).toBe(202);
  expect(acceptedResponse?.headers).toEqual({
    Location: 'http://127.0.0.1:7071/api/subscriptions/s/thing?api-version=2023-06-01',
    'Azure-AsyncOperation': 'http://127.0.0.1:7071/api/subscriptions/s/op/1?api-version=2023-06-01',
    'Retry-After': '1',
  });
  const next = new URL(page!.jsonBody.nextLink);
  expect(next.searchParams.get('$skiptoken')).toBe('token+/=');
  expect(next.searchParams.get('api-version')).toBe('2023-06-01');
});
