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
