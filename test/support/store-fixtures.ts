/**
 * Fixtures of the Store contract suite (test/contract), also used by the purge tests: a clock the
 * tests move, realistic sessions, drafts, filings and audit entries, and unique names so cases never
 * share a key even on a shared Redis.
 */
import { randomUUID } from 'node:crypto';
import type { Filing } from '../../src/domain/filing.js';
import type { SessionData, SessionKey } from '../../src/domain/session.js';
import type { FlowState } from '../../src/domain/draft.js';
import type { AuditEntry, GroupBinding, Store } from '../../src/store/store.js';

/** What a contract run gets from the implementation under test. */
export interface OpenedStore {
  store: Store;
  /** Closes whatever is still open and removes what the run created. */
  cleanup: () => Promise<void>;
  /** Opens the same data again after `store.close()`; leave it out when the store cannot persist. */
  reopen?: () => Promise<Store>;
  /**
   * Writes `text` as is where the store keeps the declaration of `eventId`, `district` and `formId`
   * (bypassing the store), so cases can plant unreadable values; leave it out when that is not possible.
   */
  writeRawDeclaration?: RawDeclarationWriter;
}

/** See {@link OpenedStore.writeRawDeclaration}. */
export type RawDeclarationWriter = (eventId: string, district: string, formId: string, text: string) => Promise<void>;

/** Opens a store for one test case; it should be isolated (own file / own key prefix) from other cases. */
export type OpenStore = (ctx: { nowMs: () => number }) => Promise<OpenedStore>;

/** A clock that stands still until the test advances it; handed to the store as `nowMs`. */
export interface TestClock {
  nowMs: () => number;
  advance: (ms: number) => void;
}

/** 2025-05-20 09:00 in Qingdao: inside the science week, so dates in fixtures look real. */
export const CLOCK_START_MS = Date.parse('2025-05-20T01:00:00.000Z');

/** Creates a {@link TestClock} at {@link CLOCK_START_MS}. */
export function createTestClock(): TestClock {
  let current = CLOCK_START_MS;
  return {
    nowMs: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}

const runId = randomUUID().slice(0, 8);

/** A session key no other case (nor another run) uses. */
export function uniqueKey(label: string, platform = 'telegram'): SessionKey {
  return { platform, chatId: `chat-${runId}-${label}`, userId: `user-${runId}-${label}` };
}

/** An id (receipt, delivery id, event id) no other case uses. */
export function uniqueId(label: string): string {
  return `${label}-${runId}-${randomUUID().slice(0, 8)}`;
}

/** A half-filled key-project draft, as the flow runner keeps it. */
export function makeFlowState(overrides: Partial<FlowState> = {}): FlowState {
  return {
    flowId: 'key-project',
    flowVersion: 1,
    target: { kind: 'new' },
    values: {
      projectName: '海洋科普进社区 · 2025青岛科技周',
      dates: { from: '2025-05-22', to: '2025-05-28' },
      expectedVisitors: 300,
      budgetYuan: 55_000,
      contacts: [{ name: '王磊', phone: '0532-85911893' }],
      hasLiveStream: false,
      note: null,
    },
    cursor: { kind: 'field', fieldId: 'organizer' },
    fromSummary: false,
    ...overrides,
  };
}

/** A session with a locale, a district and a draft in progress. */
export function makeSessionData(overrides: Partial<SessionData> = {}): SessionData {
  return { locale: 'zh-CN', district: '市南区', flow: makeFlowState(), ...overrides };
}

/** A submitted key-project filing at version 1. */
export function makeFiling(overrides: Partial<Filing> = {}): Filing {
  return {
    receipt: uniqueId('R'),
    eventId: 'sciweek-2025',
    formId: 'key-project',
    flowVersion: 1,
    district: '市南区',
    ownerKey: 'telegram:1001',
    ownerName: '王磊',
    values: { projectName: '海洋科普进社区', expectedVisitors: 300, dates: { from: '2025-05-22', to: '2025-05-28' } },
    status: 'submitted',
    reopened: false,
    version: 1,
    createdAt: '2025-05-20T01:00:00.000Z',
    updatedAt: '2025-05-20T01:00:00.000Z',
    ...overrides,
  };
}

/** An audit entry about `receipt`. */
export function makeAudit(receipt: string, action: AuditEntry['action'], at: string): AuditEntry {
  return { at, actor: 'telegram:1001', action, receipt, formId: 'key-project' };
}

/** The TTLs the cases use: one minute for sessions, one day for dedupe. */
/** A district group binding, as /bind writes it. */
export const GROUP: GroupBinding = {
  platform: 'telegram',
  chatId: '-1001234567890',
  district: '市南区',
  title: '市南区科技周联络群',
  boundBy: 'telegram:1001',
  boundAt: '2025-05-20T01:00:00.000Z',
};

export const SESSION_TTL_MS = 60_000;
/** See {@link SESSION_TTL_MS}. */
export const DEDUPE_TTL_MS = 86_400_000;

/** What a case body gets. */
export interface Harness {
  store: Store;
  clock: TestClock;
  reopen: (() => Promise<Store>) | undefined;
  writeRawDeclaration: RawDeclarationWriter | undefined;
}

/** Runs one case on a freshly opened store with its own clock, and always cleans up. */
export function createHarness(open: OpenStore): (body: (harness: Harness) => Promise<void>) => Promise<void> {
  return async (body) => {
    const clock = createTestClock();
    const opened = await open({ nowMs: clock.nowMs });
    try {
      await body({ store: opened.store, clock, reopen: opened.reopen, writeRawDeclaration: opened.writeRawDeclaration });
    } finally {
      await opened.cleanup();
    }
  };
}
