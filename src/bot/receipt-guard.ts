/**
 * Receipt guessing is limited per user. A receipt number carries 49.5 bits (receipt.ts) and every
 * read checks its owner, answering "no such filing, or not yours" either way, so a guess can never
 * reveal another person's filing; this guard makes guessing slow as well: a user whose `/receipt`,
 * `/edit` or `/withdraw` named receipts that were not theirs too often within the window is told to
 * wait, without any lookup. The count is kept in this process's memory (bounded, per owner key).
 */
import { textReply } from '../domain/reply.js';
import type { TurnContext, TurnResult } from './turn.js';

/** How many misses a user may have in a window. */
export interface ReceiptGuardPolicy {
  maxMisses: number;
  windowMs: number;
  /** Users remembered at most (the oldest are forgotten first). */
  maxUsers: number;
}

/** 20 misses an hour: far beyond typos, far below any useful guessing (31^10 numbers). */
export const DEFAULT_RECEIPT_GUARD: ReceiptGuardPolicy = { maxMisses: 20, windowMs: 60 * 60 * 1000, maxUsers: 10_000 };

/** The misses of each user, within the window. */
export interface ReceiptGuard {
  /** Milliseconds until this user may look receipts up again; 0 when they may now. */
  waitMs(ownerKey: string, now: Date): number;
  /** Notes a lookup that found nothing of this user's. */
  miss(ownerKey: string, now: Date): void;
}

/** Creates a guard (tests make their own; the engine's turns use {@link receiptGuard}). */
export function createReceiptGuard(policy: ReceiptGuardPolicy = DEFAULT_RECEIPT_GUARD): ReceiptGuard {
  const misses = new Map<string, number[]>();
  const recent = (ownerKey: string, nowMs: number): number[] => {
    const kept = (misses.get(ownerKey) ?? []).filter((atMs) => atMs > nowMs - policy.windowMs && atMs <= nowMs);
    if (kept.length === 0) misses.delete(ownerKey);
    else misses.set(ownerKey, kept);
    return kept;
  };
  return {
    waitMs(ownerKey, now) {
      const kept = recent(ownerKey, now.getTime());
      if (kept.length < policy.maxMisses) return 0;
      const oldest = kept[kept.length - policy.maxMisses] ?? now.getTime();
      return Math.max(1, oldest + policy.windowMs - now.getTime());
    },
    miss(ownerKey, now) {
      const kept = recent(ownerKey, now.getTime());
      misses.delete(ownerKey);
      misses.set(ownerKey, [...kept.slice(-(policy.maxMisses - 1)), now.getTime()]);
      while (misses.size > policy.maxUsers) {
        const first = misses.keys().next();
        if (first.done === true) break;
        misses.delete(first.value);
      }
    },
  };
}

/** The guard of this process. */
export const receiptGuard: ReceiptGuard = createReceiptGuard();

/** The refusal when this user must wait before looking receipts up again; undefined when they may. */
export function refuseReceiptLookup(ctx: TurnContext, guard: ReceiptGuard = receiptGuard): TurnResult | undefined {
  const waitMs = guard.waitMs(ctx.ownerKey, ctx.now);
  if (waitMs === 0) return undefined;
  const minutes = Math.max(1, Math.ceil(waitMs / 60_000));
  return { data: ctx.session, replies: [textReply(ctx.t('security.receipt_lookups_limited', { minutes }))] };
}

/** Notes that this user named a receipt that is not theirs (or does not exist). */
export function noteReceiptMiss(ctx: TurnContext, guard: ReceiptGuard = receiptGuard): void {
  guard.miss(ctx.ownerKey, ctx.now);
}
