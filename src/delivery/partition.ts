/**
 * Which inbox partition a chat's updates go to: a stable hash of the platform and chat id, so every
 * instance agrees and one chat's updates always meet in one partition, in order.
 */

/** The partition (0 … partitions − 1) of a chat. */
export function partitionOf(platform: string, chatId: string, partitions: number): number {
  // FNV-1a, 32 bits: cheap, stable across processes and versions.
  let hash = 0x811c9dc5;
  const text = `${platform}\u0000${chatId}`;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % partitions;
}
