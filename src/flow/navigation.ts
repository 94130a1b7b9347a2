/**
 * Navigation in both languages: the words a user types (返回, 跳过, 修改 3, submit …) and the button
 * payloads, both turned into one {@link NavCommand}. Button payloads carry the step they were shown
 * at, so a stale button (pressed after the step moved on) is recognised and not applied twice.
 */
import { normalizeLine, parseNumeral } from './parse/index.js';
import type { FlowCursor } from '../domain/draft.js';

/** What the user asked the runner to do, other than answering. */
export type NavCommand =
  | { kind: 'back' }
  | { kind: 'skip' }
  | { kind: 'cancel' }
  | { kind: 'help' }
  | { kind: 'submit' }
  | { kind: 'edit-menu' }
  | { kind: 'edit'; index: number }
  | { kind: 'yes' }
  | { kind: 'no' }
  | { kind: 'done' }
  | { kind: 'clear' }
  | { kind: 'add-row' }
  | { kind: 'remove-row'; index: number }
  | { kind: 'edit-row'; index: number };

const WORDS: ReadonlyArray<[NavCommand['kind'], readonly string[]]> = [
  ['back', ['返回', '上一步', '上一项', '后退', 'back', 'previous', 'prev']],
  ['skip', ['跳过', '略过', '无', 'skip', 'none', 'n/a']],
  ['cancel', ['取消', '退出', '放弃', 'cancel', 'quit', 'abort', '/cancel']],
  ['help', ['帮助', '？', '?', 'help', '/help']],
  ['submit', ['提交', '确认提交', 'submit', 'send']],
  ['edit-menu', ['修改', '编辑', 'edit', 'change']],
  ['yes', ['是', '是的', '确认', '确定', '对', '对的', '好', '好的', '行', '可以', '没问题', 'yes', 'y', 'ok', 'okay', 'sure', 'yep', 'confirm']],
  ['no', ['否', '不', '不是', '不对', '不要', '算了', 'no', 'n', 'nope']],
  ['done', ['完成', '好了', '传完了', '上传完毕', 'done', 'finish', 'finished']],
  ['clear', ['清空', '重新上传', '全部删除', 'clear']],
  ['add-row', ['添加一行', '再加一行', '加一行', '新增一行', '添加', 'add row', 'add a row', 'add', 'another row']],
];

const NUMBER = '(\\d{1,3}|[一二三四五六七八九十两]{1,3})';
const EDIT = new RegExp(`^(?:修改|编辑|更改|改|edit|change)\\s*(?:第\\s*)?${NUMBER}\\s*(?:项|条|个)?$`, 'i');
const EDIT_ROW = new RegExp(`^(?:(?:修改|编辑|更改|改)\\s*第?\\s*${NUMBER}\\s*行|(?:edit|change)\\s+row\\s*${NUMBER})$`, 'i');
const REMOVE_ROW = new RegExp(`^(?:(?:删除|删掉|移除|去掉)\\s*第?\\s*${NUMBER}\\s*行?|(?:remove|delete)\\s+(?:row\\s*)?${NUMBER})$`, 'i');

/** The item number of 修改 N: digits, or a Chinese numeral up to 九十九 (修改第三项). */
function itemNumber(text: string): number | undefined {
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  const parsed = parseNumeral(text);
  return parsed === undefined || parsed.scale !== 0 ? undefined : Number(parsed.units);
}

/** Reads a typed navigation word; undefined when the text is an answer, not a command. */
export function parseNavWord(text: string): NavCommand | undefined {
  const word = normalizeLine(text).toLowerCase().replace(/[。.!！]+$/u, '');
  const editRow = EDIT_ROW.exec(word);
  const rowToEdit = itemNumber(editRow?.[1] ?? editRow?.[2] ?? '');
  if (rowToEdit !== undefined) return { kind: 'edit-row', index: rowToEdit };
  const removeRow = REMOVE_ROW.exec(word);
  const rowToRemove = itemNumber(removeRow?.[1] ?? removeRow?.[2] ?? '');
  if (rowToRemove !== undefined) return { kind: 'remove-row', index: rowToRemove };
  const edit = EDIT.exec(word);
  const index = edit?.[1] === undefined ? undefined : itemNumber(edit[1]);
  if (index !== undefined) return { kind: 'edit', index };
  for (const [kind, words] of WORDS) {
    if (words.includes(word)) return { kind } as NavCommand;
  }
  return undefined;
}

/**
 * The short tag of a step of a draft, carried in button payloads (`f.<field>`, `c.<field>`, `s`,
 * then `.<draftId>`), so a button of an earlier step or an earlier draft is recognised as stale.
 */
export function stepTag(cursor: FlowCursor, draftId?: string): string {
  let step = cursor.kind === 'summary' ? 's' : `${cursor.kind === 'field' ? 'f' : 'c'}.${cursor.fieldId}`;
  if (cursor.kind === 'field' && cursor.row !== undefined) step += `.r${cursor.row}.${cursor.sub ?? ''}`;
  return draftId === undefined ? step : `${step}.${draftId}`;
}

/** The payload of a navigation button shown at a step of a draft. */
export function navPayload(command: NavCommand, cursor: FlowCursor, draftId?: string): string {
  const verb = 'index' in command ? `${command.kind}.${command.index}` : command.kind;
  return `nav:${verb}:${stepTag(cursor, draftId)}`;
}

/** The payload of an option button of a choice field of a draft. */
export function pickPayload(fieldId: string, value: string, draftId?: string): string {
  return `pick:${fieldId}${draftId === undefined ? '' : `.${draftId}`}:${value}`;
}

/** A decoded button payload, with the step (and draft) it was shown at. */
export type ParsedPayload =
  | { kind: 'nav'; command: NavCommand; step: string }
  | { kind: 'pick'; fieldId: string; draftId: string | undefined; value: string };

const NAV_KINDS = new Set(WORDS.map(([kind]) => kind));

/** Decodes a payload made by {@link navPayload} or {@link pickPayload}; undefined when malformed. */
export function parsePayload(payload: string): ParsedPayload | undefined {
  const nav = /^nav:([a-z-]+)(?:\.(\d{1,3}))?:([a-zA-Z0-9.]+)$/.exec(payload);
  if (nav?.[1] !== undefined && nav[3] !== undefined) {
    if ((nav[1] === 'edit' || nav[1] === 'remove-row' || nav[1] === 'edit-row') && nav[2] !== undefined) {
      return { kind: 'nav', command: { kind: nav[1], index: Number(nav[2]) }, step: nav[3] };
    }
    if (!NAV_KINDS.has(nav[1] as NavCommand['kind']) || nav[2] !== undefined) return undefined;
    return { kind: 'nav', command: { kind: nav[1] } as NavCommand, step: nav[3] };
  }
  const pick = /^pick:([a-zA-Z0-9]+)(?:\.([a-z0-9]{1,8}))?:(.{1,40})$/.exec(payload);
  if (pick?.[1] !== undefined && pick[3] !== undefined) return { kind: 'pick', fieldId: pick[1], draftId: pick[2], value: pick[3] };
  return undefined;
}
