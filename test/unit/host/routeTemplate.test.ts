import { expect, test } from 'vitest';
import { compileRouteTemplate } from '../../../shared/http/routeTemplate.js';

test('a route value may hold any decoded character, line breaks and control characters included', () => {
  const catchAll = compileRouteTemplate('api/subscriptions/{*path}');
  expect(catchAll.match('api/subscriptions/a/b%0D%0Ac/%06')).toEqual({ path: 'a/b\r\nc/\u0006' });
  const named = compileRouteTemplate('api/vaults/{vaultName}/items/{itemName?}');
  expect(named.match('api/vaults/v%0Ax/items/%0D')).toEqual({ vaultName: 'v\nx', itemName: '\r' });
});

test('an encoded slash stays inside its segment', () => {
  expect(compileRouteTemplate('api/vaults/{vaultName}').match('api/vaults/a%2Fb')).toEqual({ vaultName: 'a%2Fb' });
});
