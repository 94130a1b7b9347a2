/**
 * Reply → Slack Block Kit. User text is escaped so it never makes a mention (`<!channel>`,
 * `<@U…>`) or formatting: `&<>` become entities and `*_~\`` get a zero-width space so they cannot
 * pair up; lone surrogates become U+FFFD. Long text is cut under Slack's limits, never inside a
 * grapheme cluster (an emoji sequence, a flag, a letter with its marks), an entity or a link. Buttons become actions blocks; a whole form becomes a modal view.
 */
import type { Block, Button, ChatReply, FormView, Span } from '../../domain/reply.js';
import { toWellFormed } from '../../flow/parse/normalize.js';
import { clipGraphemes, cutText } from '../../kernel/graphemes.js';

/** A Block Kit block, as plain JSON (the Web API takes it as is). */
export type SlackBlock = Record<string, unknown>;

/** One Slack message: blocks and the notification text. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

/** Slack's limits that shape the rendering. */
export const SLACK_LIMITS = { sectionChars: 3000, blocksPerMessage: 50, buttonsPerActions: 25, buttonTextChars: 75, optionTextChars: 75 } as const;

/** The action_id prefix of our buttons; the value carries the payload. */
export const BUTTON_ACTION_PREFIX = 'sw_';

/** Escapes user text for mrkdwn: no mentions, no links, no formatting. */
export function escapeMrkdwn(text: string): string {
  return toWellFormed(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([*_~`])/g, '$1\u200b');
}

/**
 * A plain_text object of at most `max` characters (code points, as Slack counts); longer text is
 * shortened with `…` between grapheme clusters, to `max` UTF-16 units at most.
 */
function plain(given: string, max: number): { type: 'plain_text'; text: string; emoji: boolean } {
  const text = toWellFormed(given);
  const fits = text.length <= max || [...text].length <= max;
  const cut = fits ? text : `${clipGraphemes(text, max - 1, max - 1)}…`;
  return { type: 'plain_text', text: cut === '' ? ' ' : cut, emoji: true };
}

function renderSpan(span: Span): string {
  if (typeof span === 'string') return escapeMrkdwn(span);
  switch (span.kind) {
    case 'bold':
      return `*${escapeMrkdwn(span.text)}*`;
    case 'link':
      return /^https?:\/\//i.test(span.url) ? `<${span.url.replace(/[<>|]/g, encodeURIComponent)}|${escapeMrkdwn(span.text)}>` : escapeMrkdwn(span.text);
    case 'start-link':
      return escapeMrkdwn(span.text);
  }
}

function blockLines(block: Block): string[] {
  if (block.kind === 'paragraph') return [block.spans.map(renderSpan).join('')];
  return block.items.map((item) => `• ${item.map(renderSpan).join('')}`);
}

/** What a cut of mrkdwn must keep whole: an entity, an escaped marker with its zero-width space, a link. */
const MRKDWN_ATOM = /&(?:amp|lt|gt);|[*_~`]\u200b|<[^<>\n]{1,3000}>/;

/** Packs lines into sections under Slack's 3000-character limit. */
function sections(lines: readonly string[]): SlackBlock[] {
  const out: SlackBlock[] = [];
  let current = '';
  for (const line of lines) {
    for (const piece of cutText(line, SLACK_LIMITS.sectionChars, MRKDWN_ATOM)) {
      if (current !== '' && current.length + piece.length + 1 > SLACK_LIMITS.sectionChars) {
        out.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
        current = '';
      }
      current = current === '' ? piece : `${current}\n${piece}`;
    }
  }
  if (current !== '') out.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
  return out;
}

function actions(buttons: readonly Button[]): SlackBlock[] {
  const out: SlackBlock[] = [];
  for (let i = 0; i < buttons.length; i += SLACK_LIMITS.buttonsPerActions) {
    out.push({
      type: 'actions',
      elements: buttons.slice(i, i + SLACK_LIMITS.buttonsPerActions).map((button, j) => ({
        type: 'button',
        action_id: `${BUTTON_ACTION_PREFIX}${i + j}`,
        text: plain(button.label, SLACK_LIMITS.buttonTextChars),
        value: button.payload,
      })),
    });
  }
  return out;
}

/** Renders one reply as Slack messages (split at 50 blocks); forms are not messages (see toModal). */
export function toSlackMessages(reply: ChatReply): SlackMessage[] {
  if (reply.kind === 'form' || reply.kind === 'form-errors' || reply.kind === 'file') {
    const text = reply.kind === 'file' ? (reply.caption ?? reply.name) : '';
    return text === '' ? [] : [{ text: escapeMrkdwn(text), blocks: sections([escapeMrkdwn(text)]) }];
  }
  const lines = reply.blocks.flatMap(blockLines);
  const blocks = [...sections(lines), ...(reply.kind === 'choices' ? actions(reply.buttons) : [])];
  const text = cutText(lines.join('\n'), 3000, MRKDWN_ATOM)[0] ?? '';
  const messages: SlackMessage[] = [];
  for (let i = 0; i < blocks.length; i += SLACK_LIMITS.blocksPerMessage) {
    messages.push({ text: i === 0 ? text : '…', blocks: blocks.slice(i, i + SLACK_LIMITS.blocksPerMessage) });
  }
  return messages;
}

/** The blocks of a pressed message with its buttons replaced by what was chosen. */
export function retireButtons(blocks: readonly SlackBlock[], chosenLabel: string): SlackBlock[] {
  const kept = blocks.filter((block) => block['type'] !== 'actions');
  return [...kept, { type: 'context', elements: [{ type: 'mrkdwn', text: `✓ ${escapeMrkdwn(chosenLabel)}` }] }];
}

/** The callback_id of our modals. */
export const FORM_CALLBACK_ID = 'sciweek_form';

/** A whole form as a Slack modal view: one input block per field, block_id and action_id = field id. */
export function toModal(form: FormView, privateMetadata: string): Record<string, unknown> {
  const blocks = form.fields.map((field) => {
    let element: Record<string, unknown>;
    if (field.input === 'select') {
      const options = (field.options ?? []).map((o) => ({ text: plain(o.label, SLACK_LIMITS.optionTextChars), value: o.value }));
      element = { type: 'static_select', action_id: field.id, options };
      const initial = options.find((o) => o.value === field.initial);
      if (initial !== undefined) element['initial_option'] = initial;
    } else if (field.input === 'files') {
      element = { type: 'file_input', action_id: field.id, max_files: field.maxFiles ?? 1 };
    } else {
      element = { type: 'plain_text_input', action_id: field.id, multiline: field.input === 'multiline' };
      if (field.initial !== undefined) element['initial_value'] = field.initial;
    }
    const block: Record<string, unknown> = { type: 'input', block_id: field.id, label: plain(field.label, 2000), element, optional: field.optional };
    if (field.hint !== undefined) block['hint'] = plain(field.hint, 2000);
    return block;
  });
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    private_metadata: privateMetadata,
    title: plain(form.title, 24),
    submit: plain(form.submitLabel, 24),
    close: plain(form.cancelLabel, 24),
    blocks,
  };
}
