import { expect, test } from 'vitest';
import { createArmRouter } from '../../../shared/automation/armRouter.js';
import type { ArmFunction } from '../../../shared/arm/armFunction.js';

const fn = (name: string, route: string, methods: ArmFunction['methods'] = ['GET']): ArmFunction => ({ name, route, methods, handler: Object.assign(() => Promise.resolve({ status: 204 }), { apiVersions: false as const }) });

const router = createArmRouter([
  fn('items', 'subscriptions/{s}/items/{item?}', ['GET', 'PUT']),
  fn('itemOperations', 'subscriptions/{s}/items/{item}/{operation}', ['POST']),
  fn('aCatchAll', 'subscriptions/{*path}', ['GET']),
]);

test('routes as the Functions host does: by function name, the first whose methods and template match', () => {
  expect(router.find('GET', '/subscriptions/1/items/web')).toMatchObject({ fn: { name: 'aCatchAll' } });
  expect(router.find('PUT', '/subscriptions/1/items/web')).toMatchObject({ fn: { name: 'items' }, params: { s: '1', item: 'web' } });
  expect(router.find('post', '/subscriptions/1/items/web/testFailover')).toMatchObject({ fn: { name: 'itemOperations' }, params: { operation: 'testFailover' } });
});

test('nothing serves a method no matching route takes', () => {
  expect(router.find('DELETE', '/subscriptions/1/items/web')).toBeUndefined();
  expect(router.find('POST', '/subscriptions/1/items')).toBeUndefined();
});
