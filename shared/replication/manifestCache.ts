/**
 * Manifests read back while planning and copying (the previous point's chunk hashes), kept in a
 * bounded least-recently-used cache shared by every engine of the process. Manifests never change
 * once written, so a cached one is never stale.
 */
import { LRUCache } from 'lru-cache';
import { decodeManifest, type Manifest } from './manifest.js';
import type { ReplicaTarget } from './replicaTarget.js';

/** Chunk entries the cache holds at most (≈ 100 bytes each). */
const DEFAULT_MAX_CHUNKS = 500_000;

export interface ManifestCache {
  /** The manifest `name` of `target`, read once. */
  load(target: ReplicaTarget, name: string): Promise<Manifest>;
  /** Keeps a manifest this process wrote (as written), so the next cycle reads it from memory. */
  remember(target: ReplicaTarget, name: string, manifest: Manifest): void;
}

export function createManifestCache(maxChunks = DEFAULT_MAX_CHUNKS): ManifestCache {
  const cache = new LRUCache<string, Manifest>({ maxSize: maxChunks, sizeCalculation: (manifest) => manifest.chunks.size + 1 });
  const keyOf = (target: ReplicaTarget, name: string): string => `${target.containerName}/${name}`;
  return {
    async load(target, name) {
      const key = keyOf(target, name);
      const cached = cache.get(key);
      if (cached) return cached;
      const manifest = decodeManifest(await target.download(name));
      cache.set(key, manifest);
      return manifest;
    },
    remember(target, name, manifest) {
      cache.set(keyOf(target, name), manifest);
    },
  };
}
