/**
 * Bad input: property-based fuzzing of whole Inbound messages into the real engine (on
 * SQLite) — any platform, chat, user, display name and language hint, text, button payload, Slack
 * modal submission and attachments with odd names, sizes and durations, including keys that name
 * Object.prototype. The engine never rejects, always answers, every answer renders for Telegram and
 * Slack within their limits, and no message reaches the error boundary (bad input is refused, not crashed on), and Object.prototype is
 * never changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Inbound, InboundAttachment } from '../../src/domain/inbound.js';
import { inPrivateChat } from '../../src/domain/reply.js';
import type { Logger } from '../../src/kernel/logger.js';
import { navPayload, pickPayload } from '../../src/flow/navigation.js';
import { toTelegramMessages, MAX_MESSAGE_CHARS } from '../../src/adapters/telegram/render.js';
import { SLACK_LIMITS, toSlackMessages } from '../../src/adapters/slack/render.js';
import { createHarness, KEY_PROJECT_ANSWERS, type Harness } from '../support/engine-harness.js';
import { hostileString } from '../support/parser-arbitraries.js';

/** Errors the engine's boundary caught: bad input must be refused, not reach the boundary. */
const caught: unknown[] = [];
const recording: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (obj) => caught.push((obj as { err?: unknown }).err ?? obj),
  child: () => recording,
};

let h: Harness;
beforeAll(() => {
  // u2 administers every group; asking about u3 fails as a platform call can (taken as not an admin).
  h = createHarness({
    log: recording,
    chatAdmin: ({ userId }) => (userId === 'u3' ? Promise.reject(new Error('platform down')) : Promise.resolve(userId === 'u2')),
  });
});
afterAll(async () => {
  await h.cleanup();
});

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'];
const FIELD_IDS = ['district', 'projectName', 'organizer', 'phone', 'budget', 'period', 'photos', 'rows', ...PROTO_KEYS];
const COMMANDS = ['/start', '/help', '/my', '/file', '/file key-project', '/file exhibitor', '/file open-institutions', '/file summary-report', '/cancel', '/lang en', '/lang zh', '/status', '/export csv key-project', '/bind 市南区', '/unbind', '/none exhibitor', '/receipt KP-2345678923', '/edit x', '/withdraw x confirm', '/formview key-project', '/ask 截止时间', '完成', '提交', '返回', '跳过', '修改 3', '添加一行', '删除第1行'];

const text = fc.oneof(hostileString, fc.constantFrom(...COMMANDS, ...KEY_PROJECT_ANSWERS), fc.string({ unit: 'grapheme', minLength: 0, maxLength: 3000 }));
const action = fc.oneof(
  fc.constantFrom(
    navPayload({ kind: 'back' }, { kind: 'field', fieldId: 'projectName' }),
    navPayload({ kind: 'submit' }, { kind: 'summary' }),
    pickPayload('district', 'shinan'),
    pickPayload('__proto__', 'x'),
    '/withdraw KP-2345678923 confirm',
  ),
  fc.string({ unit: 'binary', maxLength: 80 }),
);

const attachment: fc.Arbitrary<InboundAttachment> = fc.record(
  {
    kind: fc.constantFrom('photo', 'document', 'video', 'audio', 'other'),
    name: fc.oneof(hostileString, fc.constantFrom('../../etc/passwd', 'a\u202egpj.exe', '=cmd|x.jpg', '.', 'C:\\x\\y.png')),
    mime: fc.oneof(fc.constantFrom('image/jpeg', 'video/mp4', 'application/pdf', ''), fc.string()),
    sizeBytes: fc.oneof(fc.integer({ min: -1, max: 2 ** 40 }), fc.constantFrom(Number.NaN, Infinity)),
    durationSeconds: fc.oneof(fc.integer({ min: -5, max: 100_000 }), fc.constant(Number.NaN)),
    fileRef: fc.string({ maxLength: 200 }),
    uniqueId: fc.string({ maxLength: 50 }),
  },
  { requiredKeys: ['kind', 'fileRef'] },
);

const form = fc.record(
  {
    flowId: fc.oneof(fc.constantFrom('key-project', 'exhibitor', 'open-institutions', 'summary-report', ...PROTO_KEYS), fc.string()),
    values: fc.dictionary(fc.constantFrom(...FIELD_IDS), hostileString, { maxKeys: 8 }),
    files: fc.dictionary(fc.constantFrom(...FIELD_IDS), fc.array(attachment, { maxLength: 3 }), { maxKeys: 3 }),
  },
  { requiredKeys: ['flowId', 'values'] },
);

/** Who sends, as any adapter (or a broken client) could describe them. */
interface Who {
  platform: string;
  chatId: string;
  kind: 'private' | 'group';
  userId: string;
  displayName: string;
  localeHint: string | undefined;
}

const sender: fc.Arbitrary<Who> = fc.record({
  platform: fc.constantFrom('telegram', 'slack', 'console', 'test', '__proto__'),
  chatId: fc.constantFrom('c1', 'c2', '-100200', '__proto__', 'constructor'),
  kind: fc.constantFrom<'private' | 'group'>('private', 'group'),
  userId: fc.constantFrom('u1', 'u2', 'u3', '__proto__', 'toString'),
  displayName: fc.oneof(hostileString, fc.constant('')),
  localeHint: fc.option(fc.oneof(fc.constantFrom('en', 'zh-CN', 'zh-TW', 'en-US', 'xx', ''), fc.string()), { nil: undefined }),
});

const content = fc.record(
  { text, action, form, attachments: fc.array(attachment, { maxLength: 4 }) },
  { requiredKeys: [] },
);

let serial = 0;

function toInbound(who: Who, what: Partial<Pick<Inbound, 'text' | 'action' | 'form' | 'attachments'>>): Inbound {
  serial += 1;
  const inbound: Inbound = {
    platform: who.platform,
    chat: { id: who.chatId, kind: who.kind },
    user: { id: who.userId, displayName: who.displayName },
    deliveryId: `fuzz-${serial}`,
    receivedAt: h.clock.now(),
  };
  if (who.localeHint !== undefined) inbound.user.localeHint = who.localeHint;
  if (what.text !== undefined) inbound.text = what.text;
  if (what.action !== undefined) inbound.action = what.action;
  if (what.form !== undefined) inbound.form = what.form;
  if (what.attachments !== undefined) inbound.attachments = what.attachments;
  return inbound;
}

describe('property: arbitrary Inbound messages', () => {
  it('never reject, always answer, render within both platforms\' limits, never reach the error boundary, and pollute nothing', async () => {
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(sender, content, async (who, what) => {
        runs += 1;
        const replies = await h.handle(toInbound(who, what));
        expect(replies.length).toBeGreaterThanOrEqual(1);
        for (const reply of inPrivateChat(replies)) {
          for (const message of toTelegramMessages(reply, 'sciweek_bot')) {
            if (message.kind === 'text') expect(message.html.replace(/<[^>]*>/g, '').replace(/&(?:amp|lt|gt|quot);/g, '_').length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS);
          }
          for (const message of toSlackMessages(reply)) {
            expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
            for (const block of message.blocks) expect(((block['text'] as { text?: string } | undefined)?.text ?? '').length).toBeLessThanOrEqual(SLACK_LIMITS.sectionChars);
          }
        }
        for (const key of ['polluted', 'isStaff', 'flowId', 'values', 'x']) expect(Object.prototype).not.toHaveProperty(key);
        expect(caught).toEqual([]);
      }),
      { numRuns: 300 },
    );
    expect(runs).toBe(300);
  });
});
