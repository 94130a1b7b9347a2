/**
 * Telegram's `parse_mode: 'HTML'` parser, ported from TDLib's `parse_html` (which the Bot API server
 * runs): the same accepted tags, the same HTML entities (`&lt; &gt; &amp; &quot;` and numeric ones; an
 * unknown `&name;` stays literal text), the same error texts with UTF-8 byte offsets, and the same
 * resulting plain text with UTF-16 entity offsets, trimmed of surrounding whitespace as Telegram does.
 */
import type { MessageEntity, User } from './telegram-bot-api-types.js';

/** A markup error; `message` is TDLib's text, e.g. `Unsupported start tag "x" at byte offset 3`. */
export class EntityParseError extends Error {}

/** Text after entity parsing. */
export interface ParsedText {
  text: string;
  entities: MessageEntity[];
}

const TAGS = new Set([
  'a', 'b', 'strong', 'i', 'em', 's', 'strike', 'del', 'u', 'ins', 'tg-spoiler', 'tg-emoji', 'tg-time', 'span', 'pre', 'code', 'blockquote',
]);
const SIMPLE: Record<string, string> = {
  b: 'bold', strong: 'bold', i: 'italic', em: 'italic', u: 'underline', ins: 'underline',
  s: 'strikethrough', strike: 'strikethrough', del: 'strikethrough', 'tg-spoiler': 'spoiler',
};
const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };
const LINK_SCHEMES = new Set(['http:', 'https:', 'tg:', 'ton:', 'tonsite:']);

interface OpenTag {
  tag: string;
  argument: string;
  offset: number;
}

/** An entity with the language a `<code class="language-…">` carried (kept until `</pre>` closes). */
type Draft = MessageEntity & { codeLanguage?: string };

/** TDLib's `is_space`; the end of the text counts as a space (it reads the terminating NUL). */
function isSpace(c: string): boolean {
  return c === '' || c === ' ' || c === '\t' || c === '\r' || c === '\n' || c === '\0' || c === '\v';
}

/** Decodes the HTML entity at `pos` (TDLib's `decode_html_entity`): `;` optional, unknown names rejected. */
function decodeEntity(s: string, pos: number): { value: string; next: number } | undefined {
  let end = pos + 1;
  let value: string;
  if (s[end] === '#') {
    end += 1;
    const hex = s[end] === 'x';
    if (hex) end += 1;
    let code = 0;
    while (end < s.length && (hex ? /[0-9a-fA-F]/ : /[0-9]/).test(s[end] ?? '')) {
      code = code * (hex ? 16 : 10) + Number.parseInt(s[end] ?? '0', hex ? 16 : 10);
      end += 1;
      if (code >= 0x10ffff) return undefined;
    }
    if (code === 0 || end - pos >= 10) return undefined;
    value = String.fromCodePoint(code);
  } else {
    while (end < s.length && /[A-Za-z]/.test(s[end] ?? '')) end += 1;
    const named = NAMED[s.slice(pos + 1, end)];
    if (named === undefined) return undefined;
    value = named;
  }
  if (s[end] === ';') end += 1;
  return { value, next: end };
}

/** TDLib's URL check, roughly: a scheme-less URL gets `http://`; an unusable one yields no entity. */
function normalizeUrl(raw: string): string | undefined {
  for (const candidate of [raw, `http://${raw}`]) {
    try {
      const url = new URL(candidate);
      if (LINK_SCHEMES.has(url.protocol) && (url.protocol === 'tg:' || url.hostname !== '')) return url.href;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

/** The entity a closing tag produces, or undefined (a dropped link). */
function closeEntity(open: OpenTag, length: number, inner: string, drafts: Draft[], resolveUser: (id: number) => User | undefined): void {
  const { tag, argument, offset } = open;
  const last = drafts.at(-1);
  const sameRange = last !== undefined && last.offset === offset && last.length === length;
  const simple = SIMPLE[tag];
  if (simple !== undefined || tag === 'span') {
    drafts.push({ type: simple ?? 'spoiler', offset, length });
  } else if (tag === 'a') {
    const href = argument === '' ? inner : argument;
    const mention = /^tg:(?:\/\/)?user\?id=(\d+)$/i.exec(href);
    const user = mention?.[1] === undefined ? undefined : resolveUser(Number(mention[1]));
    if (user !== undefined) drafts.push({ type: 'text_mention', offset, length, user });
    const url = mention === null ? normalizeUrl(href) : undefined;
    if (url !== undefined) drafts.push({ type: 'text_link', offset, length, url });
  } else if (tag === 'tg-emoji') {
    if (!/^\d+$/.test(argument)) throw new EntityParseError('Invalid custom emoji identifier specified');
    drafts.push({ type: 'custom_emoji', offset, length, custom_emoji_id: argument });
  } else if (tag === 'code') {
    if (sameRange && last.type === 'pre' && argument !== '') last.language = argument;
    else if (!(sameRange && last.type === 'pre')) drafts.push({ type: 'code', offset, length, codeLanguage: argument });
  } else if (tag === 'pre') {
    if (sameRange && last.type === 'code') {
      const language = last.codeLanguage ?? '';
      drafts.pop();
      drafts.push(language === '' ? { type: 'pre', offset, length } : { type: 'pre', offset, length, language });
    } else {
      drafts.push({ type: 'pre', offset, length });
    }
  } else if (tag === 'blockquote') {
    drafts.push({ type: argument === '' ? 'blockquote' : 'expandable_blockquote', offset, length });
  }
  // tg-time: accepted markup; the date_time entity is not modelled.
}

/** Reads the attributes of a start tag from `i` (just after the name); returns the index of its `>`. */
function readAttributes(s: string, start: number, tag: string, byteOf: (i: number) => number, begin: number): { end: number; argument: string } {
  const at = (k: number): string => s[k] ?? '';
  const fail = (text: string): never => {
    throw new EntityParseError(text);
  };
  let i = start;
  let argument = '';
  while (at(i) !== '>') {
    while (i < s.length && isSpace(at(i))) i += 1;
    if (at(i) === '>') break;
    const nameBegin = i;
    while (!isSpace(at(i)) && !'=>/"\''.includes(at(i))) i += 1;
    const name = s.slice(nameBegin, i);
    if (name === '') fail(`Empty attribute name in the tag "${tag}" at byte offset ${byteOf(begin)}`);
    while (i < s.length && isSpace(at(i))) i += 1;
    if (at(i) !== '=') {
      if (i >= s.length) fail(`Unclosed start tag "${tag}" at byte offset ${byteOf(begin)}`);
      if (tag === 'blockquote' && name === 'expandable') argument = '1';
      continue;
    }
    i += 1;
    while (i < s.length && isSpace(at(i))) i += 1;
    if (i >= s.length) fail(`Unclosed start tag "${tag}" at byte offset ${byteOf(begin)}`);
    let value = '';
    const quote = at(i);
    if (quote !== '"' && quote !== "'") {
      const tokenBegin = i;
      while (/[A-Za-z0-9.-]/.test(at(i))) i += 1;
      value = s.slice(tokenBegin, i).toLowerCase();
      if (!isSpace(at(i)) && at(i) !== '>') fail(`Unexpected end of name token at byte offset ${byteOf(tokenBegin)}`);
    } else {
      i += 1;
      while (i < s.length && at(i) !== quote) {
        const decoded = at(i) === '&' ? decodeEntity(s, i) : undefined;
        value += decoded?.value ?? at(i);
        i = decoded?.next ?? i + 1;
      }
      if (at(i) === quote) i += 1;
    }
    if (i >= s.length) fail(`Unclosed start tag at byte offset ${byteOf(begin)}`);
    if (tag === 'a' && name === 'href') argument = value;
    else if (tag === 'code' && name === 'class' && value.startsWith('language-')) argument = value.slice('language-'.length);
    else if (tag === 'span' && name === 'class' && value.startsWith('tg-')) argument = value.slice('tg-'.length);
    else if (tag === 'tg-emoji' && name === 'emoji-id') argument = value;
    else if (tag === 'blockquote' && name === 'expandable') argument = '1';
  }
  return { end: i, argument };
}

/**
 * Parses Telegram HTML. Throws {@link EntityParseError} with TDLib's message on bad markup; the Bot API
 * reports it as `Bad Request: can't parse entities: <message>`. `resolveUser` turns `tg://user?id=`
 * links into `text_mention` entities (unknown users yield none).
 */
export function parseHtml(source: string, resolveUser: (id: number) => User | undefined = () => undefined): ParsedText {
  const s = source;
  const at = (k: number): string => s[k] ?? '';
  const byteOf = (k: number): number => Buffer.byteLength(s.slice(0, k), 'utf8');
  const drafts: Draft[] = [];
  const open: (OpenTag & { textStart: number })[] = [];
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = at(i);
    if (c === '&') {
      const decoded = decodeEntity(s, i);
      if (decoded !== undefined) {
        out += decoded.value;
        i = decoded.next;
        continue;
      }
    }
    if (c !== '<') {
      out += c;
      i += 1;
      continue;
    }
    const begin = i;
    i += 1;
    if (at(i) !== '/') {
      while (!isSpace(at(i)) && at(i) !== '>') i += 1;
      if (i >= s.length) throw new EntityParseError(`Unclosed start tag at byte offset ${byteOf(begin)}`);
      const tag = s.slice(begin + 1, i).toLowerCase();
      if (!TAGS.has(tag)) throw new EntityParseError(`Unsupported start tag "${tag}" at byte offset ${byteOf(begin)}`);
      const attributes = readAttributes(s, i, tag, byteOf, begin);
      i = attributes.end;
      if (tag === 'span' && attributes.argument !== 'spoiler') {
        throw new EntityParseError(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOf(begin)}`);
      }
      open.push({ tag, argument: attributes.argument, offset: out.length, textStart: out.length });
    } else {
      const top = open.pop();
      if (top === undefined) throw new EntityParseError(`Unexpected end tag at byte offset ${byteOf(begin)}`);
      while (!isSpace(at(i)) && at(i) !== '>') i += 1;
      const endTag = s.slice(begin + 2, i);
      while (i < s.length && isSpace(at(i))) i += 1;
      if (at(i) !== '>') throw new EntityParseError(`Unclosed end tag at byte offset ${byteOf(begin)}`);
      if (endTag !== '' && endTag !== top.tag) {
        throw new EntityParseError(`Unmatched end tag at byte offset ${byteOf(begin)}, expected "</${top.tag}>", found "</${endTag}>"`);
      }
      if (out.length > top.offset) closeEntity(top, out.length - top.offset, out.slice(top.textStart), drafts, resolveUser);
    }
    i += 1;
  }
  const unclosed = open.at(-1);
  if (unclosed !== undefined) throw new EntityParseError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  const entities = drafts.map(({ codeLanguage: _language, ...entity }) => entity);
  return trimText(out, entities);
}

/**
 * Trims surrounding whitespace as Telegram does with every message text, clipping entities to the
 * remaining text, dropping empty ones, and ordering them by offset (longer first).
 */
export function trimText(text: string, entities: readonly MessageEntity[]): ParsedText {
  const lead = /^[\s\0]*/.exec(text)?.[0].length ?? 0;
  const trimmed = text.slice(lead).replace(/[\s\0]+$/, '');
  const clipped = entities
    .map((entity) => {
      const start = Math.max(0, entity.offset - lead);
      const end = Math.min(trimmed.length, entity.offset + entity.length - lead);
      return { ...entity, offset: start, length: end - start };
    })
    .filter((entity) => entity.length > 0)
    .sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text: trimmed, entities: clipped };
}
