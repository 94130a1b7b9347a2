/**
 * Renders neutral replies as terminal text: option buttons are numbered (typing the number picks
 * one), navigation buttons are listed as words to type, bold is ANSI bold only on a terminal.
 */
import { spanText, toPlainText, type Button, type ChatReply, type Span } from '../../domain/reply.js';

/** A rendered reply: its text and the option buttons that numbers now stand for. */
export interface RenderedText {
  text: string;
  options: Button[];
}

/** Strips terminal control sequences and other control characters from text we did not write. */
export function toSafeTerminalText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}

function renderSpan(span: Span, color: boolean): string {
  const text = toSafeTerminalText(spanText(span));
  if (typeof span === 'string') return text;
  if (span.kind === 'bold') return color ? `\u001b[1m${text}\u001b[22m` : text;
  if (span.kind === 'start-link') return `${text} (/start ${toSafeTerminalText(span.payload)})`;
  return `${text} <${toSafeTerminalText(span.url)}>`;
}

/** Renders one reply; numbering of option buttons starts at 1. */
export function renderText(reply: ChatReply, color: boolean): RenderedText {
  if (reply.kind === 'file') {
    return { text: `[${toSafeTerminalText(reply.name)}]${reply.caption === undefined ? '' : ` ${reply.caption}`}`, options: [] };
  }
  // Whole forms are a Slack modal thing; a terminal shows what they say.
  if (reply.kind === 'form' || reply.kind === 'form-errors') return { text: toSafeTerminalText(toPlainText(reply)), options: [] };
  const lines: string[] = [];
  for (const block of reply.blocks) {
    if (block.kind === 'paragraph') lines.push(block.spans.map((s) => renderSpan(s, color)).join(''));
    else for (const item of block.items) lines.push(`  ${item.map((s) => renderSpan(s, color)).join('')}`);
  }
  if (reply.kind === 'text') return { text: lines.join('\n'), options: [] };
  const options = reply.buttons.filter((b) => b.role === 'option');
  options.forEach((button, i) => lines.push(`  ${i + 1}) ${toSafeTerminalText(button.label)}`));
  const nav = reply.buttons.filter((b) => b.role === 'nav').map((b) => toSafeTerminalText(b.label));
  if (nav.length > 0) lines.push(`  [${nav.join(' · ')}]`);
  return { text: lines.join('\n'), options };
}
