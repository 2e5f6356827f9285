import { expect, test } from 'vitest';
import { parseCommandEnvelope } from '../../../shared/automation/commandEnvelope.js';
import { commandTarget } from '../../../shared/automation/refusalEvents.js';

const base = { requestId: 'a1-b2', method: 'post', path: '/subscriptions/s/resourceGroups/g/providers/Microsoft.RecoveryServices/vaults/v/replicationPolicies/p', apiVersion: '2025-08-01' };

test('a complete envelope parses, its method upper-cased', () => {
  expect(parseCommandEnvelope({ ...base, body: { properties: {} }, replyTo: 'my-replies', notify: 'completion' })).toEqual({
    ok: true,
    envelope: { ...base, method: 'POST', body: { properties: {} }, replyTo: 'my-replies', notify: 'completion' },
  });
  expect(parseCommandEnvelope(JSON.stringify(base))).toMatchObject({ ok: true });
});

test('text that is not JSON, and envelopes missing or mangling fields, are refused with the reason', () => {
  expect(parseCommandEnvelope('{not json')).toEqual({ ok: false, reason: 'The message is not JSON.' });
  const missing = parseCommandEnvelope({ requestId: 'r1', replyTo: 'replies' });
  expect(missing).toMatchObject({ ok: false, requestId: 'r1', replyTo: 'replies' });
  expect(missing.ok ? '' : missing.reason).toMatch(/method.*path.*apiVersion/s);
  const cases: Array<[Record<string, unknown>, string]> = [
    [{ ...base, method: 'FETCH' }, 'method'],
    [{ ...base, path: '/providers/x' }, 'path'],
    [{ ...base, requestId: 'has space' }, 'requestId'],
    [{ ...base, replyTo: 'Not_A_Queue' }, 'replyTo'],
    [{ ...base, notify: 'always' }, 'notify'],
  ];
  for (const [envelope, field] of cases) {
    const parsed = parseCommandEnvelope(envelope);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(`${field}:`);
  }
});

test("a refused command's target is the resource its path names, and the action on it", () => {
  const item = '/subscriptions/s/resourceGroups/g/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/f/replicationProtectionContainers/c/replicationProtectedItems/web-01';
  expect(commandTarget(`${item}/testFailover`)).toEqual({ name: 'web-01', action: 'testFailover' });
  expect(commandTarget(item)).toEqual({ name: 'web-01' });
  expect(commandTarget('/subscriptions/s/resourceGroups/g/providers/Microsoft.RecoveryServices/vaults/v')).toEqual({ name: 'v' });
});
