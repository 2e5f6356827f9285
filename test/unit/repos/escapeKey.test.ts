import { expect, test } from 'vitest';
import { escapeKey } from '../../../shared/repos/escapeKey.js';

test('Table keys escape forbidden characters and the separator, and fold case', () => {
  expect(escapeKey('A/b\\c#d?e%f|g\u0001')).toBe('a%2Fb%5Cc%23d%3Fe%25f%7Cg%01');
});
