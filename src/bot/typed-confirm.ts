/**
 * Yes/no questions outside a form (withdraw a filing?): shown as two buttons, and remembered in the
 * session for one message so that a typed answer — 是, 确定, 好, yes, ok; 否, 不, 取消, no, or the
 * buttons' own labels — runs the same command as the button, on every platform.
 */
import { choicesReply, paragraph, type Reply } from '../domain/reply.js';
import type { SessionData } from '../domain/session.js';
import { parseNavWord } from '../flow/navigation.js';
import type { TurnContext } from './turn.js';

/**
 * The question with its two buttons (labelled 是/否 unless `labels` says otherwise), and the session
 * that remembers what each answer runs.
 */
export function askToConfirm(ctx: TurnContext, lead: string, yes: string, no: string, labels?: { yes: string; no: string }): { session: SessionData; reply: Reply } {
  const reply = choicesReply(
    [paragraph(lead)],
    [
      { label: labels?.yes ?? ctx.t('flow.nav.yes'), payload: yes, role: 'option' },
      { label: labels?.no ?? ctx.t('flow.nav.no'), payload: no, role: 'option' },
    ],
  );
  return { session: { ...ctx.session, confirming: { yes, no } }, reply };
}

/** The command a typed answer to a remembered yes/no question runs; undefined when it answers neither. */
export function typedConfirmation(text: string, confirming: SessionData['confirming']): string | undefined {
  if (confirming === undefined) return undefined;
  switch (parseNavWord(text)?.kind) {
    case 'yes':
      return confirming.yes;
    case 'no':
    case 'cancel':
      return confirming.no;
    default:
      return undefined;
  }
}
