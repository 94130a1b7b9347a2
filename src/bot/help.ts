/**
 * The help, written from the command registry in the words of the platform it is read on: Telegram
 * and the console list `/file 表格编号`, Slack lists `/sciweek file 表格编号` (and, in a DM, says the
 * words work alone). A private chat lists the filing commands, a group the group commands, and staff
 * also get theirs.
 */
import { choicesReply, paragraph, type Reply } from '../domain/reply.js';
import { COMMANDS, findCommand, spell, spellingOf, type CommandSpec } from './commands.js';
import type { TurnContext } from './turn.js';

/** A command as this chat's platform spells it, with its argument hint (`/sciweek edit 回执号`). */
export function commandUsage(ctx: TurnContext, name: string): string {
  const spec = findCommand(name);
  const spelled = spell(ctx.inbound.platform, spec?.name ?? name);
  return spec?.argsKey === undefined ? spelled : `${spelled} ${ctx.t(spec.argsKey)}`;
}

function helpLine(ctx: TurnContext, spec: CommandSpec, key: string): string {
  // `{command}` in a description is the bare spelling, for examples such as "e.g. /file key-project".
  return `${commandUsage(ctx, spec.name)} — ${ctx.t(key, { command: spell(ctx.inbound.platform, spec.name) })}`;
}

/**
 * Whether this chat's help lists a command: every one the asker may use here (its scope is this kind
 * of chat, or any), and those a registry entry lists here on purpose; never internal or staff ones.
 */
function listedIn(spec: CommandSpec, kind: 'private' | 'group'): boolean {
  if (spec.internal === true || spec.scope === 'staff') return false;
  return spec.scope === 'any' || spec.scope === kind || spec.listed.includes(kind);
}

/** The lines of the help for this chat, platform and user. */
export function helpLines(ctx: TurnContext): string[] {
  const inGroup = ctx.inbound.chat.kind === 'group';
  const lines: string[] = [];
  if (inGroup) {
    lines.push(ctx.t('help.group_intro'));
    for (const spec of COMMANDS) if (listedIn(spec, 'group')) lines.push(helpLine(ctx, spec, spec.groupHelpKey ?? spec.helpKey));
  } else {
    lines.push(ctx.t('help.title'));
    for (const spec of COMMANDS) if (listedIn(spec, 'private')) lines.push(helpLine(ctx, spec, spec.helpKey));
    const spelling = spellingOf(ctx.inbound.platform);
    if (spelling.bareWords) lines.push(ctx.t('help.bare_words', { prefix: spelling.prefix.trim() }));
    lines.push(ctx.t('help.in_form'), ctx.t('help.paste'));
  }
  if (ctx.isStaff) {
    lines.push(ctx.t('help.staff_title'));
    for (const spec of COMMANDS) if (spec.scope === 'staff') lines.push(helpLine(ctx, spec, spec.helpKey));
  }
  return lines;
}

/** `/help`: the lines, then the most common questions as buttons. */
export function helpReply(ctx: TurnContext): Reply {
  return choicesReply(
    helpLines(ctx).map((line) => paragraph(line)),
    ctx.qa.commonButtons(ctx.locale),
  );
}
