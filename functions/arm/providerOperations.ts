import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage } from '../../shared/arm/responses.js';
import { validateName } from '../../shared/arm/validateName.js';
import { providerOperations as operations } from '../../shared/arm/providerOperations.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** The provider's operations (`operations.list`; ASR scopes the route to a resource group). */
const handler = armHandler((request) => {
  validateName('subscriptionId', request.params.subscriptionId ?? '');
  validateName('resourceGroupName', request.params.resourceGroupName ?? '');
  return Promise.resolve(listPage(request, operations()));
});

export const providerOperations: ArmFunction = {
  name: 'providerOperations',
  methods: ['GET'],
  route: 'subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.RecoveryServices/operations',
  handler,
};
