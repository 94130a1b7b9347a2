/**
 * The benchmark's workload: one user's key-project filing (附件2) as Telegram updates, identical for
 * every bot measured. `/start key-project`, the district and the 15 columns of the official table
 * with one invalid answer first (the phone `12345`, then a valid one), the fax skipped with `跳过`,
 * then `提交` at the summary: 19 updates a user. The issue counts 17 (the 15 official columns, the start
 * and the confirm); the district question and the rejected phone add two, the same for all three bots.
 */
/** The answers after `/start key-project`, in the order the form asks (index 0 = step 1). */
export const ANSWERS: readonly string[] = [
  '市南',
  '海洋科普嘉年华',
  '青岛市科协',
  '青岛市科技局',
  '五四广场',
  '5月22日-28日',
  '张三',
  '李四',
  '香港中路11号',
  '266071',
  '12345',
  '0532-85911893',
  '跳过',
  'kp@example.cn',
  '5万元',
  '约300人',
  '活动面向青少年开放，内容包括海洋科普展览、科学家讲座和互动实验，通过公众号宣传。',
  '提交',
];

/** The whole script of one user: the start command, then the answers. */
export const SCRIPT: readonly string[] = ['/start key-project', ...ANSWERS];

/** Updates a user sends. */
export const STEPS_PER_USER = SCRIPT.length;

/** The wave whose CPU is the baseline (the first answer) and the one compared with it (the 15th answer). */
export const BASELINE_STEP = 1;
export const LATE_STEP = 15;

/** What the sent texts are checked for: a receipt ends each filing, and each user gets exactly one rejection. */
export const WATCH = { receipts: /回执号/, rejections: /无法识别该电话号码/ } as const;

/** A short description of the workload for results.json. */
export const WORKLOAD_DESCRIPTION =
  'key-project form (附件2): /start key-project, district + 15 official columns with the phone answered ' +
  'invalid first (12345) then valid, fax skipped (跳过), then 提交 — 19 updates a user; users interleaved ' +
  'round-robin, 64 updates in flight, one user\'s updates in order';

/** First Telegram user id of the simulated users; user `u` has id FIRST_USER_ID + u (chat id the same). */
const FIRST_USER_ID = 7_000_000;

/** The Telegram user (and private chat) id of simulated user `index`. */
export function userId(index: number): number {
  return FIRST_USER_ID + index;
}

/**
 * A private text message update, as Telegram delivers it: plain JSON, typed here so that it fits both
 * grammY's and Telegraf's (typegram's) `Update` types.
 */
export interface TextUpdate {
  update_id: number;
  message: {
    message_id: number;
    date: number;
    chat: { id: number; type: 'private'; first_name: string };
    from: { id: number; is_bot: false; first_name: string; language_code: string };
    text: string;
    entities?: { type: 'bot_command'; offset: number; length: number }[];
  };
}

/** A private text message of user `user` (a leading command gets its entity). */
export function textUpdate(updateId: number, user: number, text: string): TextUpdate {
  const command = /^\/\w+/.exec(text);
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user, type: 'private', first_name: 'Bench' },
      from: { id: user, is_bot: false, first_name: 'Bench', language_code: 'zh-hans' },
      text,
      ...(command === null ? {} : { entities: [{ type: 'bot_command' as const, offset: 0, length: command[0].length }] }),
    },
  };
}

/** Update ids: unique across the whole child process (warm-up, timed run, half-way users). */
let nextUpdateId = 1;

/**
 * The scripts of users `first` … `first + count - 1`, each cut to its first `steps` updates:
 * `scripts[u][s]` is user u's update of step s.
 */
export function userScripts(first: number, count: number, steps: number = STEPS_PER_USER): TextUpdate[][] {
  return Array.from({ length: count }, (_, u) =>
    SCRIPT.slice(0, steps).map((text) => textUpdate(nextUpdateId++, userId(first + u), text)),
  );
}
