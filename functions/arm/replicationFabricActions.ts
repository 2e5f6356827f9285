import { armHandler } from '../../shared/arm/armHandler.js';
import { noContent } from '../../shared/arm/responses.js';
import { VAULT_ROUTE, vaultFromRoute } from '../../shared/arm/vaultFromRoute.js';
import { HttpError } from '../../shared/errors/HttpError.js';
import { acceptedJob } from '../../shared/jobs/acceptedJob.js';
import { appDeps } from '../../shared/appDeps.js';
import { checkFabricConsistency, renewCertificateBody, renewFabricCertificate } from '../../shared/infra/fabricActions.js';
import { removeFabric } from '../../shared/infra/fabrics.js';
import { requireVault } from '../../shared/infra/vaults.js';
import type { ArmFunction } from '../../shared/arm/armFunction.js';

/**
 * POST actions on a fabric: `remove` (LRO; 409 while mappings or protected items use it),
 * `checkConsistency` and `renewCertificate` (jobs that have finished).
 */
const handler = armHandler(async (request) => {
  const { plane } = appDeps();
  const vault = vaultFromRoute(request.params);
  await requireVault(plane.repository, vault);
  const fabricName = request.params.fabricName ?? '';
  const action = (request.params.action ?? '').toLowerCase();
  switch (action) {
    case 'remove': {
      const job = await removeFabric(plane, vault, fabricName);
      return job ? acceptedJob(request, job) : noContent();
    }
    case 'checkconsistency':
      return acceptedJob(request, await checkFabricConsistency(plane, vault, fabricName));
    case 'renewcertificate':
      return acceptedJob(request, await renewFabricCertificate(plane, vault, fabricName, request.body));
    case 'reassociategateway':
    case 'migratetoaad':
    case 'removeinfra':
      throw new HttpError(400, 'OperationNotSupported', `The operation '${request.params.action ?? ''}' applies to VMware and physical servers, which this service does not protect.`);
    default:
      throw new HttpError(404, 'OperationNotSupported', `The operation ${JSON.stringify(request.params.action ?? '')} is not supported on replication fabrics; supported: remove, checkConsistency, renewCertificate.`);
  }
});

export const replicationFabricActions: ArmFunction = {
  name: 'replicationFabricActions',
  methods: ['POST'],
  route: `${VAULT_ROUTE}/replicationFabrics/{fabricName}/{action}`,
  handler,
  operations: {
    POST: {
      actions: {
        remove: { summary: 'Removes a fabric (409 while mappings or protected items use it).', responses: [202, 204] },
        checkConsistency: { summary: "Compares what the site's hosts report with what the vault protects there.", responses: [202] },
        renewCertificate: { summary: 'Renews the certificate (nothing to renew: hosts authenticate with the registration key).', requestBody: renewCertificateBody, missingBodyAs: {}, responses: [202] },
      },
    },
  },
};
