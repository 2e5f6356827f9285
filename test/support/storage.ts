/** The storage a test file runs on: its own Azurite, started by `test/setup/fileAzurite.ts`. */
let connectionString: string | undefined;

/** Called by the setup file once the file's Azurite answers. */
export function useTestStorage(value: string): void {
  connectionString = value;
}

/** The connection string of this test file's Azurite. */
export function testStorage(): string {
  if (!connectionString) throw new Error('This test file has no Azurite: files that use storage live under test/integration or test/e2e.');
  return connectionString;
}

/** The ports of the Azurite a connection string names (its blob, queue and table endpoints). */
export function azuritePortsOf(connectionString: string): { blobPort: number; queuePort: number; tablePort: number } {
  const port = (name: string): number => {
    const endpoint = new RegExp(`${name}Endpoint=([^;]+)`).exec(connectionString)?.[1];
    if (!endpoint) throw new Error(`The connection string has no ${name}Endpoint.`);
    return Number(new URL(endpoint).port);
  };
  return { blobPort: port('Blob'), queuePort: port('Queue'), tablePort: port('Table') };
}
