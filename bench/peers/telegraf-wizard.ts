/**
 * Peer (b): the Telegraf 4 form bot — a `Scenes.WizardScene` with one step per field, `session({ store })`
 * on a small Redis-backed store, a `Stage`, and `/start key-project` entering the scene. A step re-asks on
 * invalid input (staying on its step), keeps the answers in the scene session, and the last step stores
 * the filing (SET) on `提交` and replies the receipt.
 */
import { Redis } from 'ioredis';
import { Scenes, session, Telegraf, type Middleware } from 'telegraf';
import { STUB_API_ROOT_HTTPS, STUB_TOKEN, StubBotApi } from '../http-stub.js';
import { meterClient, type ClientMeter } from '../redis-meter.js';
import type { Target, TargetOptions } from '../targets/target.js';
import { WATCH, type TextUpdate } from '../workload.js';
import { FIELDS, introText, isSubmit, newReceipt, promptOptions, promptText, readAnswer, RECEIPT_OPTIONS, storeFiling, summaryExpectsText, summaryOptions, summaryText, type FormValues } from './key-project-form.js';
import { createRedisSessionStore } from './redis-session-store.js';

/** The scene's session: the wizard's cursor plus the answers so far. */
interface FormSession extends Scenes.WizardSessionData {
  values?: FormValues;
}

type FormContext = Scenes.WizardContext<FormSession>;

const PREFIX = 'tg:';
const FILING_PREFIX = 'tf:';
const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;
const HTML = { parse_mode: 'HTML' } as const;
const FORM_ID = 'key-project';

function messageText(ctx: FormContext): string | undefined {
  const message = ctx.message;
  return message !== undefined && 'text' in message ? message.text : undefined;
}

/** The wizard's steps: the opening question, one step per field, and the confirmation. */
function formSteps(redis: Redis): Middleware<FormContext>[] {
  const open: Middleware<FormContext> = async (ctx) => {
    ctx.scene.session.values = {};
    await ctx.reply(introText());
    await ctx.reply(promptText(0), promptOptions(0, ctx.from?.id ?? 0));
    return ctx.wizard.next();
  };
  const fieldSteps = FIELDS.map(
    (field, index): Middleware<FormContext> =>
      async (ctx) => {
        const text = messageText(ctx);
        if (text === undefined) return;
        const outcome = readAnswer(index, text);
        if (outcome.kind === 'rejected') {
          await ctx.reply(outcome.message, HTML);
          await ctx.reply(promptText(index), promptOptions(index, ctx.from?.id ?? 0));
          return;
        }
        const values = ctx.scene.session.values ?? {};
        if (outcome.kind === 'value') values[field.id] = outcome.value;
        ctx.scene.session.values = values;
        const userId = ctx.from?.id ?? 0;
        const [next, options] = index + 1 < FIELDS.length ? [promptText(index + 1), promptOptions(index + 1, userId)] : [summaryText(values), summaryOptions(userId)];
        await ctx.reply(next, options);
        return ctx.wizard.next();
      },
  );
  const confirm: Middleware<FormContext> = async (ctx) => {
    const text = messageText(ctx);
    if (text === undefined || !isSubmit(text)) {
      await ctx.reply(summaryExpectsText(), HTML);
      return;
    }
    const receiptText = await storeFiling(redis, FILING_PREFIX, newReceipt(), String(ctx.from?.id ?? 0), ctx.scene.session.values ?? {});
    await ctx.reply(receiptText, RECEIPT_OPTIONS);
    return ctx.scene.leave();
  };
  return [open, ...fieldSteps, confirm];
}

/** Builds the peer on `options.redisUrl`. */
export function createTelegrafTarget(options: TargetOptions): Target {
  const api = new StubBotApi(WATCH);
  const meter: ClientMeter = { writes: 0, commands: 0 };
  // A plain ioredis client, as the plugin's and Telegraf's documentation set one up.
  const redis = meterClient(new Redis(options.redisUrl), meter);
  const wizard = new Scenes.WizardScene<FormContext>(FORM_ID, ...formSteps(redis));
  const stage = new Scenes.Stage<FormContext>([wizard]);
  // Telegraf drops a custom agent for http:// roots, so it gets the https root (the stub speaks plain HTTP).
  const bot = new Telegraf<FormContext>(STUB_TOKEN, { telegram: { apiRoot: STUB_API_ROOT_HTTPS, agent: api.agent('https:') } });
  bot.use(session({ store: createRedisSessionStore<Scenes.WizardSession<FormSession>>(redis, PREFIX, SESSION_TTL_SECONDS) }));
  bot.use(stage.middleware());
  bot.start(async (ctx) => {
    if (ctx.payload === FORM_ID) await ctx.scene.enter(FORM_ID);
    else await ctx.reply(introText());
  });

  return {
    name: 'telegraf',
    api,
    meter,
    init: async () => {
      bot.botInfo = await bot.telegram.getMe();
    },
    handle: (update: TextUpdate) => bot.handleUpdate(update),
    // Telegraf's default session key is `<from.id>:<chat.id>`.
    sessionKeys: (userId) => [`${PREFIX}${userId}:${userId}`],
    close: async () => {
      await redis.quit();
    },
  };
}
