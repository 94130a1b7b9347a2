/**
 * The reliability tests' users and what must come of them. Every user files a key project with answers
 * of their own (their id is in every text field, the numbers differ), so an answer that landed in the
 * wrong field, in another user's filing, or twice, shows in the stored values. The values a filing must
 * hold are worked out by each field's own parser from the text the user typed for that field.
 */
import { allFlows } from '../../flows/index.js';
import type { Filing } from '../../src/domain/filing.js';
import type { JsonValue } from '../../src/kernel/json.js';
import type { FilingQueries } from '../../src/store/store.js';
import { SUMMARY_TEXT, event, runnerContext } from './engine-harness.js';
import { FAULTS_NOW, expectedAfter } from './faults-service.js';
import type { BotApi } from './telegram-bot-api.js';

/** The key-project form's fields, in the order they are asked. */
const FIELDS = allFlows.find((flow) => flow.id === 'key-project')?.fields ?? [];

/** The field context the service parses with (zh-CN, the service's clock). */
const CONTEXT = runnerContext('zh-CN', new Date(FAULTS_NOW));

/** One message of a user's script and the reply that answers it. */
export interface Step {
  text: string;
  /** What the bot's answer to this message says. */
  expect: RegExp;
}

/** The receipt line of a submitted filing. */
export const RECEIPT = /回执号：(KP-[0-9A-Z]{10})/u;

/** What errors.store_unavailable says ("send it again"): a user must never be told this for a kept message. */
export const SEND_AGAIN = /系统暂时不可用/u;

/** What errors.store_slow says: the message is kept and will be handled. */
export const KEPT_NOTICE = /您的消息已收到并保存/u;

/** The 16 answers of one user, one per field, in the order asked; every one differs from other users'. */
export function answersOf(user: number): string[] {
  const districts = event.districts;
  const district = districts[user % districts.length]?.name['zh-CN'] ?? '市南';
  const tail = String(user).padStart(7, '0').slice(-7);
  return [
    district,
    `海洋科普嘉年华${user}号`,
    `第${user}科学技术协会`,
    `第${user}科学技术局`,
    `青岛市五四广场${user}号展区`,
    `5月${22 + (user % 3)}日-28日`,
    `张${user}`,
    `李${user}`,
    `青岛市香港中路${user}号`,
    `266${String(user % 1000).padStart(3, '0')}`,
    `0532-8${tail}`,
    `0532-6${tail}`,
    `kp${user}@example.cn`,
    `${user}元`,
    String(3 + (user % 997)),
    `${SUMMARY_TEXT}编号${user}。`,
  ];
}

/** A user's whole filing: /file, the 16 answers, submit — each with the reply that answers it. */
export function filingScript(user: number): Step[] {
  const texts = ['/file key-project', ...answersOf(user), '提交'];
  return texts.map((text, i) => ({ text, expect: expectedAfter(i + 1) ?? /./u }));
}

/** The values a user's filing must hold: each field's parse of the answer typed for it. */
export function expectedValues(user: number): Record<string, JsonValue> {
  const answers = answersOf(user);
  const values: Record<string, JsonValue> = {};
  FIELDS.forEach((field, i) => {
    const parsed = field.parse(answers[i] ?? '', CONTEXT);
    if (!parsed.ok) throw new Error(`answer ${JSON.stringify(answers[i])} of user ${user} does not parse as ${field.id}: ${parsed.error}`);
    values[field.id] = parsed.value;
  });
  return values;
}

/** What became of one user: their filings, and what their chat showed. */
export interface UserOutcome {
  user: number;
  filings: Filing[];
  /** Receipt numbers the chat showed, each once. */
  receiptsShown: string[];
  /** Fields whose stored value is not the answer typed for them (of the first filing). */
  wrongFields: string[];
  /** The chat was told to send a message again. */
  toldToResend: boolean;
  /** The chat was told once or more that a message is kept. */
  keptNotices: number;
  /** Bot messages whose text repeats an earlier message of the chat (an answer sent twice). */
  repeatedAnswers: number;
}

/** Reads each user's filings from the store and their chat from the stand-in. */
export async function outcomes(store: FilingQueries, api: BotApi, users: readonly number[]): Promise<UserOutcome[]> {
  const result: UserOutcome[] = [];
  for (const user of users) {
    const filings = await store.listFilings({ eventId: event.id, ownerKey: `telegram:${user}`, includeWithdrawn: true });
    const texts = api.sentMessages(user).map((message) => message.plainText);
    const receiptsShown = [...new Set(texts.flatMap((text) => [...text.matchAll(new RegExp(RECEIPT.source, 'gu'))].map((m) => m[1] ?? '')))];
    const expected = expectedValues(user);
    const stored = filings[0]?.values ?? {};
    const wrongFields = [...new Set([...Object.keys(expected), ...Object.keys(stored)])].filter(
      (field) => JSON.stringify(stored[field]) !== JSON.stringify(expected[field]),
    );
    result.push({
      user,
      filings,
      receiptsShown,
      wrongFields,
      toldToResend: texts.some((text) => SEND_AGAIN.test(text)),
      keptNotices: texts.filter((text) => KEPT_NOTICE.test(text)).length,
      repeatedAnswers: texts.length - new Set(texts).size,
    });
  }
  return result;
}

/** Users without exactly one submitted filing holding their answers: work that was lost or mangled. */
export function lostUsers(all: readonly UserOutcome[]): number[] {
  return all.filter((o) => o.filings.length === 0 || o.wrongFields.length > 0 || o.filings[0]?.status !== 'submitted').map((o) => o.user);
}

/** Users with a second filing, or shown a second receipt number. */
export function doubledUsers(all: readonly UserOutcome[]): number[] {
  return all.filter((o) => o.filings.length > 1 || o.receiptsShown.length > 1).map((o) => o.user);
}

/** A one-line account of a user's outcome, for assertion messages. */
export function describeOutcome(o: UserOutcome): string {
  const receipts = o.filings.map((f) => `${f.receipt}/${f.status}`).join(',') || 'none';
  return `user ${o.user}: filings ${receipts}; shown ${o.receiptsShown.join(',') || 'none'}; wrong fields ${o.wrongFields.join(',') || 'none'}`;
}
