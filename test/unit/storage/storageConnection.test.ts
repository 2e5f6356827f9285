/** How storage settings become connections: connection strings, identity-based settings, fallbacks and the missing setting named. */
import { describe, expect, it } from 'vitest';
import { loadConfig, storageConnectionSetting, toolStorageSetting } from '../../../shared/config.js';
import { connectionKey, identityConnectionOf, sameConnection } from '../../../shared/storage/storageConnection.js';
import { resolveConnection } from '../../../host/core/settings.js';

describe('storage connections', () => {
  it('reads __accountName as the account public endpoints, and explicit service URIs as given', () => {
    expect(identityConnectionOf('AzureWebJobsStorage', { AzureWebJobsStorage__accountName: 'drapp' })).toEqual({
      blobServiceUri: 'https://drapp.blob.core.windows.net',
      queueServiceUri: 'https://drapp.queue.core.windows.net',
      tableServiceUri: 'https://drapp.table.core.windows.net',
    });
    expect(
      identityConnectionOf('RecoverySiteStorage', {
        RecoverySiteStorage__blobServiceUri: 'https://r.blob.core.windows.net/',
        RecoverySiteStorage__queueServiceUri: 'https://r.queue.core.windows.net',
        RecoverySiteStorage__tableServiceUri: 'https://r.table.core.windows.net',
        RecoverySiteStorage__credential: 'managedidentity',
        RecoverySiteStorage__clientId: 'abc',
      }),
    ).toEqual({ blobServiceUri: 'https://r.blob.core.windows.net', queueServiceUri: 'https://r.queue.core.windows.net', tableServiceUri: 'https://r.table.core.windows.net', credential: 'managedidentity', clientId: 'abc' });
    expect(identityConnectionOf('AzureWebJobsStorage', {})).toBeUndefined();
    expect(() => identityConnectionOf('AzureWebJobsStorage', { AzureWebJobsStorage__blobServiceUri: 'https://a.blob.core.windows.net' })).toThrow(/AzureWebJobsStorage__queueServiceUri/);
  });

  it('prefers a connection string, falls back to the app storage for the sites, and names what is missing', () => {
    expect(storageConnectionSetting('AzureWebJobsStorage', { AzureWebJobsStorage: 'UseDevelopmentStorage=true', AZURITE_BLOB_PORT: '1' })).toContain('BlobEndpoint=http://127.0.0.1:1/');
    const identity = { AzureWebJobsStorage__accountName: 'drapp' };
    expect(storageConnectionSetting('RecoverySiteStorage', identity)).toEqual(storageConnectionSetting('AzureWebJobsStorage', identity));
    expect(storageConnectionSetting('RecoverySiteStorage', { ...identity, RecoverySiteStorage__accountName: 'drrecovery' })).toMatchObject({ blobServiceUri: 'https://drrecovery.blob.core.windows.net' });
    expect(() => storageConnectionSetting('HyperVSiteStorage', {})).toThrow(/Missing required setting 'AzureWebJobsStorage'.*__accountName/);
    const config = loadConfig({ ...identity, RecoverySiteStorage__accountName: 'drrecovery' }, {});
    expect(sameConnection(config.storage, config.siteStorage)).toBe(true);
    expect(sameConnection(config.storage, config.recoveryStorage)).toBe(false);
  });

  it("gives the site's tools the site's connection, the app's, or Azurite's when nothing is set", () => {
    expect(toolStorageSetting('HyperVSiteStorage', { AZURITE_BLOB_PORT: '7' })).toContain('BlobEndpoint=http://127.0.0.1:7/devstoreaccount1');
    expect(toolStorageSetting('HyperVSiteStorage', { AzureWebJobsStorage__accountName: 'drapp' })).toMatchObject({ blobServiceUri: 'https://drapp.blob.core.windows.net' });
    expect(toolStorageSetting('HyperVSiteStorage', { AzureWebJobsStorage: 'UseDevelopmentStorage=true', HyperVSiteStorage__accountName: 'drsite' })).toMatchObject({ blobServiceUri: 'https://drsite.blob.core.windows.net' });
    expect(toolStorageSetting('HyperVSiteStorage', { HyperVSiteStorage: 'AccountName=a;AccountKey=b' })).toBe('AccountName=a;AccountKey=b');
  });

  it('gives the local host the same connections for bindings and timers', () => {
    expect(resolveConnection('AzureWebJobsStorage', { AzureWebJobsStorage__accountName: 'drapp' })).toMatchObject({ queueServiceUri: 'https://drapp.queue.core.windows.net' });
    expect(resolveConnection(undefined, { AzureWebJobsStorage__accountName: 'drapp' })).toMatchObject({ blobServiceUri: 'https://drapp.blob.core.windows.net' });
    expect(connectionKey(resolveConnection('Other', { Other__accountName: 'x' }))).not.toBe(connectionKey(resolveConnection(undefined, { AzureWebJobsStorage__accountName: 'drapp' })));
    expect(() => resolveConnection('Nope', {})).toThrow(/AzureWebJobsNope__accountName/);
  });
});
