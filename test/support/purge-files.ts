/**
 * The data of the purge tests that read a store's raw files: one event to purge and one to keep, each
 * with distinctive values, written the way a running bot writes them — a draft typed message by
 * message through the inbox (each update acknowledged with its commit), a filing submitted with its
 * receipt reply (delivered and removed), then edited, a message and a reply still waiting — so the
 * files hold both live records and the bytes of records deleted in normal running.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Filing } from '../../src/domain/filing.js';
import type { Store } from '../../src/store/store.js';
import { replyTo, updateBody, type Sender } from './purge-queue-fixtures.js';
import { makeFiling, makeFlowState, makeSessionData, SESSION_TTL_MS, uniqueId } from './store-fixtures.js';

/** The purged event's values: none of them may be left in any file after the purge. */
export const PURGED = {
  owner: '赵海燕',
  contact: '孙立群',
  draftPhone: '13966667777',
  oldPhone: '13955550000',
  phone: '13912345678',
  email: 'sun.liqun@purged.example.cn',
  address: '青岛市崂山区松岭路238号',
};

/** The kept event's values: all of them stay. */
export const KEPT = {
  owner: '钱多多',
  contact: '周明远',
  phone: '13700001111',
  email: 'zhou.mingyuan@kept.example.cn',
  address: '青岛市市南区香港中路99号',
};

const FILER_A: Sender = { platform: 'telegram', userId: '5001', chatId: '5001', name: PURGED.owner };
const FILER_B: Sender = { platform: 'telegram', userId: '6001', chatId: '6001', name: KEPT.owner };
const keyOf = (sender: Sender) => ({ platform: sender.platform, chatId: sender.chatId, userId: sender.userId });

/** What {@link seedForFiles} wrote. */
export interface SeededFiles {
  purgedEvent: string;
  keptEvent: string;
  purged: Filing;
  kept: Filing;
  /** Every purged value, the receipt among them. */
  purgedValues: string[];
  /** Every kept value, the receipt among them. */
  keptValues: string[];
}

/** Writes both events through the store API (see the file comment). */
export async function seedForFiles(store: Store): Promise<SeededFiles> {
  const purgedEvent = uniqueId('files-purged');
  const keptEvent = uniqueId('files-kept');
  const a = keyOf(FILER_A);
  const ok = (result: { ok: boolean }) => expect(result.ok).toBe(true);
  const draft = (values: Record<string, string>) => makeSessionData({ flow: makeFlowState({ values }) });
  // The filer types a draft; the message goes through the inbox (where the kept event's filer's waits
  // behind it) and is acknowledged by its commit.
  await store.inboxAppend(0, updateBody(FILER_A, `联系电话 ${PURGED.draftPhone}`));
  await store.inboxAppend(0, updateBody(FILER_B, `${KEPT.contact} ${KEPT.phone}`));
  const [typed] = await store.inboxTake('worker', [0], 1, 0);
  ok(await store.commit({ key: a, expectedVersion: 0, data: draft({ contactPerson: PURGED.contact, phone: PURGED.draftPhone }), sessionTtlMs: SESSION_TTL_MS, ...(typed === undefined ? {} : { inboxEntry: typed }) }));
  // Submitted (the draft is deleted), the receipt reply delivered and removed.
  const submitted = makeFiling({ eventId: purgedEvent, ownerKey: 'telegram:5001', ownerName: PURGED.owner, values: { contactPerson: PURGED.contact, phone: PURGED.oldPhone } });
  const receiptReply = replyTo('telegram', '5001', `回执号：${submitted.receipt}\n联系人：${PURGED.contact}，电话：${PURGED.oldPhone}`);
  ok(await store.commit({ key: a, expectedVersion: 1, data: null, sessionTtlMs: SESSION_TTL_MS, filings: [{ filing: submitted, expectedVersion: 0 }], audit: [{ at: submitted.createdAt, actor: 'telegram:5001', action: 'filing.submitted', receipt: submitted.receipt, formId: 'key-project' }], outbox: receiptReply }));
  expect(await store.outboxDone('telegram', '5001', receiptReply.id)).toBe(true);
  // Edited: new phone, e-mail and address; the update's reply still waits, and so does a new message.
  const purged: Filing = { ...submitted, version: 2, values: { contactPerson: PURGED.contact, phone: PURGED.phone, email: PURGED.email, address: PURGED.address } };
  const changes = [{ field: 'phone', from: PURGED.oldPhone, to: PURGED.phone }];
  ok(await store.commit({ key: a, expectedVersion: 0, data: null, sessionTtlMs: SESSION_TTL_MS, filings: [{ filing: purged, expectedVersion: 1 }], audit: [{ at: purged.updatedAt, actor: 'telegram:5001', action: 'filing.updated', receipt: purged.receipt, formId: 'key-project', changes }], outbox: replyTo('telegram', '5001', `回执号 ${purged.receipt} 已更新`) }));
  await store.inboxAppend(0, updateBody(FILER_A, `我的邮箱 ${PURGED.email}`));
  // The kept event: a filing, a draft and a waiting reply (its filer's message waits in the inbox).
  const kept = makeFiling({ eventId: keptEvent, ownerKey: 'telegram:6001', ownerName: KEPT.owner, values: { contactPerson: KEPT.contact, phone: KEPT.phone, email: KEPT.email } });
  const b = keyOf(FILER_B);
  ok(await store.commit({ key: b, expectedVersion: 0, data: draft({ address: KEPT.address }), sessionTtlMs: SESSION_TTL_MS, filings: [{ filing: kept, expectedVersion: 0 }], audit: [{ at: kept.createdAt, actor: 'telegram:6001', action: 'filing.submitted', receipt: kept.receipt, formId: 'key-project' }], outbox: replyTo('telegram', '6001', `回执号：${kept.receipt}`) }));
  return {
    purgedEvent,
    keptEvent,
    purged,
    kept,
    purgedValues: [...Object.values(PURGED), purged.receipt],
    keptValues: [...Object.values(KEPT), kept.receipt],
  };
}

/** What a purge of {@link seedForFiles}'s purged event removes (not the served event). */
export const PURGED_COUNTS = { filings: 1, auditEntries: 2, declarations: 0, sessions: 0, reminderOutcomes: 0, inboxEntries: 1, outboxEntries: 1 };

/** The bytes of the given files that exist (a missing -wal or -shm is no bytes). */
export function readExisting(files: readonly string[]): Buffer {
  return Buffer.concat(files.map((file) => (safeSize(file) === undefined ? Buffer.alloc(0) : readFileSync(file))));
}

/** The bytes of every file under a directory (Redis's appendonlydir). */
export function readDirectory(dir: string): Buffer {
  if (safeSize(dir) === undefined) return Buffer.alloc(0);
  return readExisting(readdirSync(dir).map((name) => path.join(dir, name)));
}

function safeSize(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

/** The values whose UTF-8 bytes occur in `bytes`. */
export function valuesIn(bytes: Buffer, values: readonly string[]): string[] {
  return values.filter((value) => bytes.includes(Buffer.from(value, 'utf8')));
}
