/**
 * Partition leases: which inbox partitions this instance works. Each partition is a named claim in
 * the store with a TTL, renewed while the instance lives; a partition whose holder died is free once
 * its claim expires, and the next instance to look takes it. Instances take free partitions as they
 * find them, so one instance alone works them all, and a second takes over what the first drops.
 */
import type { Logger } from '../kernel/logger.js';
import type { ClaimStore } from '../store/store.js';

/** The claim name of a partition. */
export const leaseName = (partition: number): string => `inbox:${partition}`;

/** What the leases are built from. */
export interface LeaseOptions {
  claims: ClaimStore;
  partitions: number;
  /** This instance's owner id. */
  owner: string;
  ttlMs: number;
  log: Logger;
  /** Called when a partition is taken, before it counts as held: recover what its last holder left. */
  onTaken: (partition: number) => Promise<void>;
}

/** The partitions held. */
export interface Leases {
  /** The partitions held now, ascending. */
  held(): number[];
  holds(partition: number): boolean;
  /** Renews the held partitions and tries to take the free ones. */
  tick(): Promise<void>;
  /** Drops every lease, so another instance may take the partitions at once. */
  releaseAll(): Promise<void>;
}

/** Creates the leases; none is held until the first `tick`. */
export function createLeases(options: LeaseOptions): Leases {
  const { claims, owner, ttlMs, log } = options;
  const held = new Set<number>();
  let ticking: Promise<void> | undefined;

  async function visit(partition: number): Promise<void> {
    const name = leaseName(partition);
    if (held.has(partition)) {
      if (!(await claims.renewClaim(name, owner, ttlMs))) {
        held.delete(partition);
        log.warn({ partition }, 'inbox partition lease lost (not renewed in time, or taken over); taken again once free');
      }
      return;
    }
    if (!(await claims.claim(name, owner, ttlMs))) return;
    try {
      await options.onTaken(partition);
      held.add(partition);
      log.info({ partition }, 'inbox partition taken');
    } catch (err) {
      log.error({ err, partition }, 'inbox partition not recovered; left for the next look');
      await claims.releaseClaim(name, owner).catch(() => undefined);
    }
  }

  async function tick(): Promise<void> {
    for (let partition = 0; partition < options.partitions; partition += 1) {
      try {
        await visit(partition);
      } catch (err) {
        log.warn({ err, partition }, 'inbox lease not checked');
      }
    }
  }

  return {
    held: () => [...held].sort((a, b) => a - b),
    holds: (partition) => held.has(partition),
    tick: () => (ticking ??= tick().finally(() => (ticking = undefined))),
    async releaseAll() {
      await ticking;
      const names = [...held].map(leaseName);
      held.clear();
      await Promise.allSettled(names.map((name) => claims.releaseClaim(name, owner)));
    },
  };
}
