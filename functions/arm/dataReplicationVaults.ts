import { appDeps } from '../../shared/appDeps.js';
import { API_VERSIONS } from '../../shared/arm/apiVersion.js';
import { armHandler } from '../../shared/arm/armHandler.js';
import { listPage, ok } from '../../shared/arm/responses.js';
import { vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { DR_VAULTS_ROUTE } from '../../shared/dataReplication/dataReplicationIds.js';
import { continuationTokenOf, requireReplicationVault } from '../../shared/dataReplication/requireReplicationVault.js';
import { toVaultModel } from '../../shared/dataReplication/toVaultModel.js';
import { listVaults } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/** `Microsoft.DataReplication` vaults: the Recovery Services vaults of a resource group, get and list. */
const handler = armHandler(
  async (request) => {
    const { repository } = appDeps().plane;
    const vault = vaultFromRoute(request.params);
    if (request.params.vaultName) return ok(toVaultModel(await requireReplicationVault(repository, vault)));
    const page = await listVaults(repository, vault.subscriptionId, vault.resourceGroupName, continuationTokenOf(request));
    return listPage(request, page.rows.map((row) => toVaultModel(row.value)), page.continuationToken);
  },
  { apiVersions: API_VERSIONS.dataReplication },
);

export const dataReplicationVaults: ArmFunction = {
  name: 'dataReplicationVaults',
  methods: ['GET'],
  route: `${DR_VAULTS_ROUTE}/{vaultName?}`,
  handler,
};
