import { expect, test } from 'vitest';
import { siteHealthOf } from '../../../shared/infra/siteInventory.js';

const now = new Date('2026-01-01T12:00:00Z');

test('a site is healthy while every host reported within 10 minutes', () => {
  expect(siteHealthOf([{ hostName: 'a', reportedAt: '2026-01-01T11:55:00Z' }], now)).toEqual({ healthy: true, lastHeartbeat: '2026-01-01T11:55:00Z' });
});

test('a silent host or no host at all makes it unhealthy, with cause and action', () => {
  const stale = siteHealthOf(
    [
      { hostName: 'a', reportedAt: '2026-01-01T11:59:00Z' },
      { hostName: 'b', reportedAt: '2026-01-01T11:40:00Z' },
    ],
    now,
  );
  expect(stale).toMatchObject({ healthy: false, lastHeartbeat: '2026-01-01T11:59:00Z', error: { code: 'SiteHostHeartbeatMissing' } });
  expect(stale.healthy ? '' : stale.error.message).toContain("'b'");
  const none = siteHealthOf([], now);
  expect(none).toMatchObject({ healthy: false, error: { code: 'SiteNotReported', recommendedAction: expect.stringContaining("Start the Hyper-V host's agent") } });
});
