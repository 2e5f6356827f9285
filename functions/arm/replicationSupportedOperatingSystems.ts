import { armHandler } from '../../shared/arm/armHandler.js';
import { armResource } from '../../shared/arm/armResource.js';
import { ok } from '../../shared/arm/responses.js';
import { vaultChildId } from '../../shared/arm/resourceId.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { appDeps } from '../../shared/appDeps.js';
import { SUPPORTED_OPERATING_SYSTEMS } from '../../shared/domain/supportedOperatingSystems.js';
import { HttpError } from '../../shared/errors/HttpError.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

const SCENARIO = 'HyperVReplicaAzure';

/** `replicationSupportedOperatingSystems`: the guests a protected Hyper-V VM may run (`instanceType` other than Hyper-V's is a 400). */
const handler = armHandler(async (request) => {
  const { repository } = appDeps().plane;
  const vault = vaultFromRoute(request.params);
  await requireVault(repository, vault);
  const instanceType = request.query.get('instanceType');
  if (instanceType && instanceType.toLowerCase() !== SCENARIO.toLowerCase()) {
    throw new HttpError(400, 'InvalidParameter', `Invalid value for 'instanceType': this service protects Hyper-V virtual machines ('${SCENARIO}'), not '${instanceType}'.`, undefined, 'instanceType');
  }
  return ok(
    armResource(vaultChildId(vault, ['replicationSupportedOperatingSystems', 'default']), 'default', 'Microsoft.RecoveryServices/vaults/replicationSupportedOperatingSystems', {
      supportedOsList: [{ instanceType: SCENARIO, supportedOs: SUPPORTED_OPERATING_SYSTEMS }],
    }),
  );
});

export const replicationSupportedOperatingSystems: ArmFunction = {
  name: 'replicationSupportedOperatingSystems',
  methods: ['GET'],
  route: `${VAULT_ROUTE}/replicationSupportedOperatingSystems`,
  handler,
};
