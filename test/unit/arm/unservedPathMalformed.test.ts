import { expect, test } from 'vitest';
import { unservedPath } from '../../../shared/arm/unservedPath.js';
import { commandTarget } from '../../../shared/automation/refusalEvents.js';

test.each(['%FF', '%ZZ', '%E0%A4%A', 'a%b'])('a path segment %s that is not valid percent-encoding is named as sent, not thrown on', (segment) => {
  const error = unservedPath('DELETE', `subscriptions/s/resourceGroups/${segment}/things`);
  expect(error.status).toBe(404);
  expect(error.message).toContain(segment);
  expect(commandTarget(`/subscriptions/s/resourceGroups/rg/providers/Microsoft.RecoveryServices/vaults/v/replicationFabrics/${segment}`)).toEqual({ name: segment });
});
