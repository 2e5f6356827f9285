/** Sub-requests one blob batch holds at most (Azure Storage's limit). */
export const BLOB_BATCH_LIMIT = 256;
