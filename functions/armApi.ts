import { app } from '@azure/functions';
import { appDeps } from '../shared/appDeps.js';
import { recordingRefusals } from '../shared/automation/refusalEvents.js';
import { ARM_API, ARM_AUTH_LEVEL } from './arm/armApi.js';
import { zUnservedArmPaths } from './arm/zUnservedArmPaths.js';

/**
 * Registers every HTTP function of the ARM API (`functions/arm/`) with the Functions host, each
 * refused command becoming an event; the catch-all answers every other `/subscriptions/…` path.
 */
for (const { name, methods, route, handler } of [...ARM_API, zUnservedArmPaths]) {
  app.http(name, { methods, authLevel: ARM_AUTH_LEVEL, route, handler: recordingRefusals(handler, () => appDeps().plane) });
}
