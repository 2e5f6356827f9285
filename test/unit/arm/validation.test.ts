import { expect, test } from 'vitest';
import { API_VERSIONS, checkApiVersion } from '../../../shared/arm/apiVersion.js';
import { validateName } from '../../../shared/arm/validateName.js';
import { HttpError } from '../../../shared/errors/HttpError.js';

test.each(['a', 'site-1', 'A.b_c-D', 'x'.repeat(90)])('accepts the name %j', (name) => {
  expect(validateName('fabricName', name)).toBe(name);
});

test.each(["it's", 'a/b', 'a%2F', 'a b', 'a\u0000', 'é', '', 'x'.repeat(91)])('rejects the name %j with a 400 naming the field', (name) => {
  const error = (() => {
    try {
      validateName('fabricName', name);
    } catch (thrown) {
      return thrown;
    }
    return undefined;
  })();
  expect(error).toBeInstanceOf(HttpError);
  expect(error).toMatchObject({ status: 400, code: 'InvalidResourceName', target: 'fabricName' });
  expect((error as HttpError).message).toContain('fabricName');
});

test('api-version: the clients’ defaults are accepted; missing and unknown are 400s', () => {
  expect(checkApiVersion('2023-06-01', API_VERSIONS.siteRecovery)).toBe('2023-06-01');
  expect(checkApiVersion('2024-04-01', API_VERSIONS.vaults)).toBe('2024-04-01');
  expect(() => checkApiVersion(null, API_VERSIONS.siteRecovery)).toThrow(expect.objectContaining({ code: 'MissingApiVersionParameter' }));
  expect(() => checkApiVersion('2099-01-01', API_VERSIONS.siteRecovery)).toThrow(
    expect.objectContaining({ code: 'InvalidApiVersionParameter', message: expect.stringContaining('2023-06-01') }),
  );
});
