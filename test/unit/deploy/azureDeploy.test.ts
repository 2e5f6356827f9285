/**
 * `infra/azuredeploy.json`, read as ARM reads it: every setting the app reads is set (or left to a
 * default on purpose), identity-based for all three storage connections, the managed identity holds
 * exactly the storage roles the code needs and no more, no account key is read anywhere, and no
 * output carries a secret.
 */
import fs from 'node:fs';
import path from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { loadConfig, type StorageSettingName } from '../../../shared/config.js';
import { sameConnection } from '../../../shared/storage/storageConnection.js';
import { repoRoot } from '../../support/clients.js';
import { typeScriptSources } from '../../support/sourceFiles.js';

interface Resource {
  type: string;
  name: string;
  apiVersion: string;
  kind?: string;
  scope?: string;
  sku?: { name?: string; tier?: string };
  identity?: { type: string; userAssignedIdentities?: Record<string, unknown> };
  dependsOn?: string[];
  properties?: object;
}

interface Template {
  $schema: string;
  parameters: Record<string, { type: string; defaultValue?: unknown; allowedValues?: unknown[] }>;
  variables: Record<string, unknown>;
  resources: Resource[];
  outputs: Record<string, { type: string; value: string }>;
}

interface Site {
  siteConfig: { appSettings: Array<{ name: string; value: string }> };
  functionAppConfig: {
    deployment: { storage: { type: string; value: string; authentication: { type: string; userAssignedIdentityResourceId: string } } };
    runtime: { name: string; version: string };
  };
}

const templateText = fs.readFileSync(path.join(repoRoot, 'infra/azuredeploy.json'), 'utf8');
const template = JSON.parse(templateText) as Template;
const roles = template.variables.roles as Record<string, string>;
const resourcesOf = (type: string): Resource[] => template.resources.filter((resource) => resource.type === type);
const siteResource = resourcesOf('Microsoft.Web/sites')[0] as Resource;
const site = siteResource.properties as Site;
const appSettings = new Map(site.siteConfig.appSettings.map((setting) => [setting.name, setting.value]));

/** A setting's value as the deployment resolves it: endpoints of the account its expression names, the identity's client id, literals as written. */
function resolved(value: string): string {
  const service = /primaryEndpoints\.(blob|queue|table)\]$/.exec(value)?.[1];
  if (service) return `https://${value.includes("variables('recoveryStorageId')") ? 'recovery' : 'app'}.${service}.core.windows.net/`;
  if (value === "[reference(variables('identityId'), '2023-01-31').clientId]") return 'identity-client-id';
  return value.startsWith('[') ? `<${value}>` : value;
}

/** Every `env.<Setting>` the deployed code (functions/ and shared/) reads, and the storage settings `shared/config.ts` reads by name. */
function settingsTheAppReads(): string[] {
  const names = new Set(typeScriptSources(['functions', 'shared']).flatMap(({ text }) => [...text.matchAll(/\benv\.([A-Z][A-Za-z0-9_]*)/g)].map((match) => match[1] as string)));
  const storageSettings: StorageSettingName[] = ['AzureWebJobsStorage', 'HyperVSiteStorage', 'RecoverySiteStorage'];
  return [...names, ...storageSettings].sort();
}

/** Settings the template leaves alone, each with the reason. */
const LEFT_TO_DEFAULTS: Record<string, string> = {
  WEBSITE_HOSTNAME: 'set by the platform; the public URL is derived from it',
  SiteRecoveryPublicUrl: 'defaults to https://{WEBSITE_HOSTNAME}/api',
  CONTROL_PLANE_TABLE: "defaults to 'controlplane'",
  RecoveryPlanParallelism: 'defaults to 10',
  SiteRecoveryEventRetentionDays: 'defaults to 30',
  SiteRecoveryTraceFile: 'development only',
  AZURITE_BLOB_PORT: 'Azurite only',
  AZURITE_QUEUE_PORT: 'Azurite only',
  AZURITE_TABLE_PORT: 'Azurite only',
};

describe('infra/azuredeploy.json', () => {
  it('is a resource-group deployment of a Flex Consumption Node app with its package container', () => {
    expect(template.$schema).toMatch(/\/deploymentTemplate\.json#$/);
    for (const resource of template.resources) expect(resource.apiVersion, resource.type).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(resourcesOf('Microsoft.Web/serverfarms')[0]?.sku).toEqual({ tier: 'FlexConsumption', name: 'FC1' });
    expect(siteResource.kind).toBe('functionapp,linux');
    expect(site.functionAppConfig.runtime).toEqual({ name: 'node', version: "[parameters('nodeVersion')]" });
    const { storage } = site.functionAppConfig.deployment;
    expect(storage.type).toBe('blobContainer');
    expect(storage.authentication).toEqual({ type: 'UserAssignedIdentity', userAssignedIdentityResourceId: "[variables('identityId')]" });
    expect(resourcesOf('Microsoft.Storage/storageAccounts/blobServices/containers').map((container) => container.name)).toEqual([
      "[format('{0}/default/{1}', parameters('storageAccountName'), variables('packageContainer'))]",
    ]);
    expect(siteResource.identity?.type).toBe('UserAssigned');
    expect(Object.keys(siteResource.identity?.userAssignedIdentities ?? {})).toEqual(["[variables('identityId')]"]);
    // The Node versions offered are those the app's engines (and so its dependencies) allow.
    const engines = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    for (const version of template.parameters.nodeVersion?.allowedValues ?? []) expect(semver.intersects(engines, `${String(version)}.x`), `Node ${String(version)} vs ${engines}`).toBe(true);
  });

  it('sets every setting the app reads, all three storage connections identity-based through the managed identity', () => {
    const env = Object.fromEntries([...appSettings].map(([name, value]) => [name, resolved(value)]));
    const config = loadConfig(env, {});
    expect(config.storage).toEqual({
      blobServiceUri: 'https://app.blob.core.windows.net',
      queueServiceUri: 'https://app.queue.core.windows.net',
      tableServiceUri: 'https://app.table.core.windows.net',
      credential: 'managedidentity',
      clientId: 'identity-client-id',
    });
    expect(sameConnection(config.siteStorage, config.storage)).toBe(true);
    expect(config.recoveryStorage).toMatchObject({ blobServiceUri: 'https://recovery.blob.core.windows.net', tableServiceUri: 'https://recovery.table.core.windows.net', credential: 'managedidentity', clientId: 'identity-client-id' });
    expect(appSettings.get('APPLICATIONINSIGHTS_CONNECTION_STRING')).toMatch(/Microsoft\.Insights\/components.*\.ConnectionString\]$/);
    expect(appSettings.get('RecoveryPlanScriptHosts')).toBe("[parameters('recoveryPlanScriptHosts')]");
    expect(appSettings.get('AlertWebhookHosts')).toBe("[parameters('alertWebhookHosts')]");

    // Every setting the code reads is set here, or left to its default for the reason given.
    const read = settingsTheAppReads();
    expect(read).toEqual(expect.arrayContaining(['AzureWebJobsStorage', 'APPLICATIONINSIGHTS_CONNECTION_STRING', 'RecoveryPlanScriptHosts']));
    const unset = read.filter((name) => ![...appSettings.keys()].some((setting) => setting === name || setting.startsWith(`${name}__`)) && !(name in LEFT_TO_DEFAULTS));
    expect(unset).toEqual([]);

    // No connection string, no key, nothing Flex Consumption refuses, no local-host setting.
    for (const name of ['AzureWebJobsStorage', 'HyperVSiteStorage', 'RecoverySiteStorage', 'FUNCTIONS_WORKER_RUNTIME', 'FUNCTIONS_EXTENSION_VERSION', 'WEBSITE_RUN_FROM_PACKAGE', 'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING']) {
      expect(appSettings.has(name), name).toBe(false);
    }
    expect([...appSettings.keys()].filter((name) => name.startsWith('LOCAL_HOST_') || name.startsWith('FUNCTIONS_'))).toEqual([]);
    expect(templateText).not.toMatch(/listKeys|listAccountSas|listServiceSas|AccountKey|SharedAccessSignature/i);
    expect(template.variables.storageProperties).toMatchObject({ allowSharedKeyAccess: false, allowBlobPublicAccess: false, minimumTlsVersion: 'TLS1_2' });
  });

  it("grants the app's identity exactly the storage data roles the code needs, on the accounts it uses them on", () => {
    const grants = resourcesOf('Microsoft.Authorization/roleAssignments').map((assignment) => {
      const properties = assignment.properties as { roleDefinitionId: string; principalId: string; principalType: string };
      expect(properties.principalId).toBe("[reference(variables('identityId'), '2023-01-31').principalId]");
      expect(properties.principalType).toBe('ServicePrincipal');
      const role = Object.entries(roles).find(([, id]) => properties.roleDefinitionId.includes(`variables('roles').${Object.keys(roles).find((key) => roles[key] === id)}`))?.[0];
      return `${assignment.scope?.includes('recoveryStorageAccountName') ? 'recovery' : 'app'}: ${role}`;
    });
    // The app's account: the Functions host (blob leases, the deployment package) and the app's queues and tables;
    // the Hyper-V site's disks live there too. The recovery account: replicas and snapshots (blobs) and the recovery points' index (a table).
    expect(grants.sort()).toEqual([
      'app: storageBlobDataOwner',
      'app: storageQueueDataContributor',
      'app: storageTableDataContributor',
      'recovery: storageBlobDataContributor',
      'recovery: storageTableDataContributor',
    ]);
    expect(roles).toEqual({
      storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
      storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
      storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0a3b3',
      storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
    });
    // The app starts only once its roles exist.
    expect(siteResource.dependsOn?.filter((dependency) => dependency.includes('Microsoft.Authorization/roleAssignments'))).toHaveLength(grants.length);
  });

  it('outputs the API base URL and names, nothing secret; every parameter is used and every one used is declared', () => {
    expect(template.outputs.apiBaseUrl?.value).toMatch(/^\[format\('https:\/\/\{0\}\/api', reference\(.*\)\.defaultHostName\)\]$/);
    for (const [name, output] of Object.entries(template.outputs)) {
      expect(output.type, name).toBe('string');
      expect(name).not.toMatch(/key|secret|password|connection|token/i);
      expect(output.value, name).not.toMatch(/\blist\w*\(|ConnectionString|InstrumentationKey|clientSecret/i);
    }
    const used = new Set([...templateText.matchAll(/parameters\('(\w+)'\)/g)].map((match) => match[1]));
    expect([...used].sort()).toEqual(Object.keys(template.parameters).sort());
  });
});
