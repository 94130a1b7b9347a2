/**
 * Peer (a): the idiomatic grammY form bot — `@grammyjs/conversations` v2 with its state in Redis through
 * `@grammyjs/storage-redis`. The conversation asks each field in turn with `conversation.waitFor`, re-asks
 * on invalid input, shows the summary, waits for the confirmation, then stores the filing (SET) and
 * replies the receipt; side effects (randomness, Redis) go through `conversation.external`, as the
 * plugin asks. Each update replays the conversation from its stored log, which is the cost measured.
 */
import { conversations, createConversation, type Conversation, type ConversationData, type ConversationFlavor, type VersionedState } from '@grammyjs/conversations';
import { RedisAdapter } from '@grammyjs/storage-redis';
import { Bot, type Context } from 'grammy';
import { Redis } from 'ioredis';
import { STUB_API_ROOT, STUB_TOKEN, StubBotApi } from '../http-stub.js';
import { meterClient, type ClientMeter } from '../redis-meter.js';
import type { Target, TargetOptions } from '../targets/target.js';
import { WATCH, type TextUpdate } from '../workload.js';
import { FIELDS, introText, isSubmit, newReceipt, promptOptions, promptText, readAnswer, RECEIPT_OPTIONS, storeFiling, summaryExpectsText, summaryOptions, summaryText, type FormValues } from './key-project-form.js';

type BotContext = ConversationFlavor<Context>;
type FormContext = Context;

const PREFIX = 'conv:';
const FILING_PREFIX = 'gc:';
const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;
const HTML = { parse_mode: 'HTML' } as const;
const FORM_ID = 'key-project';

/** Builds the peer on `options.redisUrl`. */
export function createConversationsTarget(options: TargetOptions): Target {
  const api = new StubBotApi(WATCH);
  const meter: ClientMeter = { writes: 0, commands: 0 };
  // A plain ioredis client, as the plugin's and Telegraf's documentation set one up.
  const redis = meterClient(new Redis(options.redisUrl), meter);

  async function keyProject(conversation: Conversation<BotContext, FormContext>, ctx: FormContext): Promise<void> {
    const userId = String(ctx.from?.id ?? 0);
    await ctx.reply(introText());
    await ctx.reply(promptText(0), promptOptions(0, ctx.from?.id ?? 0));
    const values: FormValues = {};
    for (let index = 0; index < FIELDS.length; index += 1) {
      for (;;) {
        const answer = await conversation.waitFor('message:text');
        const outcome = readAnswer(index, answer.message.text);
        if (outcome.kind === 'rejected') {
          await ctx.reply(outcome.message, HTML);
          await ctx.reply(promptText(index), promptOptions(index, ctx.from?.id ?? 0));
          continue;
        }
        const field = FIELDS[index];
        if (outcome.kind === 'value' && field !== undefined) values[field.id] = outcome.value;
        break;
      }
      const userId = ctx.from?.id ?? 0;
      const [next, options] = index + 1 < FIELDS.length ? [promptText(index + 1), promptOptions(index + 1, userId)] : [summaryText(values), summaryOptions(userId)];
      await ctx.reply(next, options);
    }
    for (;;) {
      const confirmation = await conversation.waitFor('message:text');
      if (isSubmit(confirmation.message.text)) break;
      await ctx.reply(summaryExpectsText(), HTML);
    }
    const receipt = await conversation.external(() => newReceipt());
    const receiptText = await conversation.external(() => storeFiling(redis, FILING_PREFIX, receipt, userId, values));
    await ctx.reply(receiptText, RECEIPT_OPTIONS);
  }

  const bot = new Bot<BotContext>(STUB_TOKEN, { client: { apiRoot: STUB_API_ROOT, baseFetchConfig: { agent: api.agent('http:') } } });
  bot.use(
    conversations<BotContext, FormContext>({
      storage: {
        type: 'key',
        prefix: PREFIX,
        adapter: new RedisAdapter<VersionedState<ConversationData>>({ instance: redis, ttl: SESSION_TTL_SECONDS }),
      },
    }),
  );
  bot.use(createConversation(keyProject, FORM_ID));
  bot.command('start', async (ctx) => {
    if (ctx.match === FORM_ID) await ctx.conversation.enter(FORM_ID);
    else await ctx.reply(introText());
  });

  return {
    name: 'grammyConversations',
    api,
    meter,
    init: () => bot.init(),
    handle: (update: TextUpdate) => bot.handleUpdate(update),
    sessionKeys: (userId) => [`${PREFIX}${userId}`],
    close: async () => {
      await redis.quit();
    },
  };
}
