/** Replicated items: list, get, their recovery points and recovery VM sizes, update, and their operations. */
import { API_VERSIONS } from '../settings.js';
import { armGet, armList, armPatch, armPost, type ArmAnswer } from './armClient.js';
import { itemPath, vaultPath, type ItemRef, type VaultRef } from './resourcePaths.js';
import type { ComputeSize, ProtectedItem, RecoveryPoint } from './types.js';

const call = { apiVersion: API_VERSIONS.siteRecovery };

/** Pages of recovery points read for an item (100 each): the newest 2,000 points. */
const POINT_PAGES = 20;

export const listItems = (vault: VaultRef): Promise<ProtectedItem[]> => armList<ProtectedItem>(`${vaultPath(vault)}/replicationProtectedItems`, call);

export const getItem = (vault: VaultRef, item: ItemRef): Promise<ProtectedItem> => armGet<ProtectedItem>(itemPath(vault, item), call);

/** The item's recovery points, newest first. */
export const listRecoveryPoints = (vault: VaultRef, item: ItemRef): Promise<RecoveryPoint[]> => armList<RecoveryPoint>(`${itemPath(vault, item)}/recoveryPoints`, call, POINT_PAGES);

/** The sizes the item's recovery VM may have. */
export const listComputeSizes = (vault: VaultRef, item: ItemRef): Promise<ComputeSize[]> => armList<ComputeSize>(`${itemPath(vault, item)}/targetComputeSizes`, call);

/** Changes the recovery VM's compute and network settings (a long-running operation). */
export const updateItem = (vault: VaultRef, item: ItemRef, body: unknown): Promise<ArmAnswer> => armPatch(itemPath(vault, item), call, body);

/** Starts an operation (`testFailover`, `failoverCommit`, …) on the item. */
export const postItemOperation = (vault: VaultRef, item: ItemRef, operation: string, body?: unknown): Promise<ArmAnswer> =>
  armPost(`${itemPath(vault, item)}/${operation}`, call, body);
