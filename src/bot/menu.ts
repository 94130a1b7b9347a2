/**
 * The start menu and the Q&A fallback, shared by the command handlers and the router: what the bot
 * shows when it has nothing better to say, and how a question is answered.
 */
import { choicesReply, paragraph, type Reply } from '../domain/reply.js';
import { refuseLongQuestion } from '../flow/limits.js';
import type { TurnContext, TurnResult } from './turn.js';

/** The start menu: what the bot does, then the most common questions as one-tap buttons. */
export function startMenu(ctx: TurnContext, lead: string[]): Reply {
  return choicesReply(
    lead.map((line) => paragraph(line)),
    [
      { label: ctx.t('menu.ask'), payload: '/ask', role: 'option' },
      { label: ctx.t('menu.file'), payload: '/file', role: 'option' },
      { label: ctx.t('menu.my'), payload: '/my', role: 'option' },
      { label: ctx.t('menu.help'), payload: '/help', role: 'option' },
      ...ctx.qa.commonButtons(ctx.locale),
    ],
  );
}

/** A question to the Q&A; one too long to be a question is refused unread (matching grows with its square). */
export function answerQuestion(ctx: TurnContext, question: string): TurnResult {
  const reply = refuseLongQuestion(question, ctx.t) ?? ctx.qa.answer(question, { locale: ctx.locale, pinnedLocale: ctx.session.locale, now: ctx.now });
  return { data: ctx.session, replies: [reply] };
}
