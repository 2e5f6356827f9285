import { expect, test } from 'vitest';
import { routePaths, withLastSegment } from '../../../shared/arm/routePaths.js';

test('an optional last segment is the collection and the item', () => {
  expect(routePaths('subscriptions/{subscriptionId}/replicationFabrics/{fabricName?}')).toEqual({
    full: { path: '/subscriptions/{subscriptionId}/replicationFabrics/{fabricName}', parameters: ['subscriptionId', 'fabricName'] },
    shorter: [{ path: '/subscriptions/{subscriptionId}/replicationFabrics', parameters: ['subscriptionId'] }],
  });
});

test('each optional segment left out in turn, shortest first; constraints and defaults are not part of the name', () => {
  const { full, shorter } = routePaths('v/{vaultName:alpha}/health/{name?}/{action=refresh}');
  expect(shorter.map((at) => at.path)).toEqual(['/v/{vaultName}/health', '/v/{vaultName}/health/{name}']);
  expect(full).toEqual({ path: '/v/{vaultName}/health/{name}/{action}', parameters: ['vaultName', 'name', 'action'] });
});

test('a parameter inside a segment is kept there, and makes the segment required', () => {
  expect(routePaths('files/{name}.{ext?}')).toEqual({ full: { path: '/files/{name}.{ext}', parameters: ['name', 'ext'] }, shorter: [] });
});

test('an action fills the last segment', () => {
  expect(withLastSegment(routePaths('items/{item}/{operation}').full, 'testFailover')).toEqual({ path: '/items/{item}/testFailover', parameters: ['item'] });
  expect(() => withLastSegment(routePaths('items/{item}/export').full, 'x')).toThrow(/does not end in a parameter/);
});

test('a catch-all has no OpenAPI path', () => {
  expect(() => routePaths('subscriptions/{*path}')).toThrow(/catch-all/);
});
