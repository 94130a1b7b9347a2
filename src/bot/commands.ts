/**
 * The command registry: every command the bot understands, named once — its name and aliases, where
 * it may be used, what it takes, the locale keys of its help line and menu entry — and how each
 * platform spells it (`/file key-project` on Telegram and the console, `/sciweek file key-project` on
 * Slack, and on Slack a bare `file key-project` in a DM). The router dispatches from it, the help and
 * the Telegram menu are written from it, and the Slack adapter reads `/sciweek` subcommands with it.
 * Data only: the handlers live in command-handlers.ts, typed so that each name here has one.
 */

/**
 * Where a command may be used: anywhere; in a private chat only (in a group it answers with a link
 * into the private chat — forms are filed where others do not read along); in a group only; or by
 * city bureau staff only (STAFF_IDS).
 */
export type CommandScope = 'any' | 'private' | 'group' | 'staff';

/**
 * What a command takes after its name. It decides when a bare word in a Slack DM is a command rather
 * than a sentence: `none` only alone, `form` alone or before a form id, `receipt` before something
 * shaped like a receipt number, `text` before anything.
 */
export type ArgumentKind = 'none' | 'form' | 'receipt' | 'text';

/** One command of the registry. */
export interface CommandSpec {
  /** The name after the slash (Telegram, console) or after `/sciweek` (Slack); lower case. */
  readonly name: string;
  /** Other words for the same command, understood wherever the name is. */
  readonly aliases: readonly string[];
  readonly scope: CommandScope;
  readonly args: ArgumentKind;
  /** The locale key of the argument hint the help shows after the name (`FORM`, `表格编号`). */
  readonly argsKey?: string;
  /** The locale key of what the help says the command does; every command has one. */
  readonly helpKey: string;
  /** The locale key of that line in a group's help, when it differs. */
  readonly groupHelpKey?: string;
  /** The chats whose help lists it (staff commands are listed to staff, wherever they ask). */
  readonly listed: readonly ('private' | 'group')[];
  /** The locale key of its entry in the Telegram command menu; absent: not in the menu. */
  readonly menuKey?: string;
  /** Reached only by the bot's own buttons and mappings: no help line, no Slack subcommand, no bare word. */
  readonly internal?: boolean;
  /** On Slack, `/sciweek <name> <args>` opens this command's whole form as a modal instead. */
  readonly slackModal?: string;
  /**
   * Its answer names people or their filings (phones, e-mails, receipts): asked in a group, it goes to
   * the asker's private chat and the group hears only that it was sent — always, or only when the
   * command is given arguments (`/status <district>` lists receipts, `/status` does not).
   */
  readonly personal?: 'always' | 'with-args';
}

/** One registry entry; its help line's key follows from its name (`commands.<name>.help`). */
function command<N extends string>(
  name: N,
  scope: CommandScope,
  args: ArgumentKind,
  more: Partial<Omit<CommandSpec, 'name' | 'scope' | 'args'>> = {},
): CommandSpec & { readonly name: N } {
  return { aliases: [], helpKey: `commands.${name}.help`, listed: [], ...more, name, scope, args };
}

const listedPrivate = ['private'] as const;
const listedGroup = ['group'] as const;

/** Every command, in the order the help and the Telegram menu list them. */
export const COMMANDS = [
  command('start', 'private', 'form', { menuKey: 'commands.start.menu' }),
  command('file', 'private', 'form', {
    argsKey: 'commands.file.args',
    groupHelpKey: 'commands.file.group_help',
    listed: ['private', 'group'],
    menuKey: 'commands.file.menu',
    slackModal: 'formview',
  }),
  command('my', 'private', 'none', { listed: listedPrivate, menuKey: 'commands.my.menu' }),
  command('edit', 'private', 'receipt', { argsKey: 'commands.edit.args', listed: listedPrivate }),
  command('withdraw', 'private', 'receipt', { argsKey: 'commands.withdraw.args', listed: listedPrivate }),
  command('receipt', 'private', 'receipt', { argsKey: 'commands.receipt.args', listed: listedPrivate }),
  command('none', 'any', 'form', { argsKey: 'commands.none.args', listed: listedPrivate }),
  command('ask', 'any', 'text', { argsKey: 'commands.ask.args', listed: listedPrivate, menuKey: 'commands.ask.menu' }),
  command('help', 'any', 'none', { menuKey: 'commands.help.menu' }),
  command('cancel', 'any', 'none', { listed: listedPrivate, menuKey: 'commands.cancel.menu' }),
  command('lang', 'any', 'text', { argsKey: 'commands.lang.args', listed: listedPrivate, menuKey: 'commands.lang.menu' }),
  command('bind', 'group', 'text', { argsKey: 'commands.bind.args', listed: listedGroup, menuKey: 'commands.bind.menu' }),
  command('unbind', 'group', 'none', { listed: listedGroup, menuKey: 'commands.unbind.menu' }),
  command('forms', 'private', 'none', { internal: true }),
  command('formview', 'any', 'form', { internal: true }),
  command('status', 'staff', 'text', { argsKey: 'commands.status.args', personal: 'with-args' }),
  command('missing', 'staff', 'none'),
  command('list', 'staff', 'text', { argsKey: 'commands.list.args', personal: 'always' }),
  command('show', 'staff', 'receipt', { argsKey: 'commands.show.args', personal: 'always' }),
  command('reopen', 'staff', 'receipt', { argsKey: 'commands.reopen.args', personal: 'always' }),
  command('export', 'staff', 'text', { argsKey: 'commands.export.args', personal: 'always' }),
  command('remind', 'staff', 'text', { argsKey: 'commands.remind.args', personal: 'always' }),
] as const;

/** The name of a command of the registry; the handlers are keyed by it, one each. */
export type CommandName = (typeof COMMANDS)[number]['name'];

/** A command of the registry, its name known to be one of the registry's. */
export type RegisteredCommand = (typeof COMMANDS)[number];

const byWord = new Map<string, RegisteredCommand>(COMMANDS.flatMap((spec: RegisteredCommand) => [spec.name, ...spec.aliases].map((word) => [word, spec] as const)));

/** The command a name or alias stands for (any case); undefined for an unknown word. */
export function findCommand(word: string): RegisteredCommand | undefined {
  return byWord.get(word.toLowerCase());
}

/** Whether a command's answer, given these arguments, names people or their filings (see `personal`). */
export function answersPersonally(spec: CommandSpec, args: readonly string[]): boolean {
  return spec.personal === 'always' || (spec.personal === 'with-args' && args.length > 0);
}

/** A parsed command: the word it was called by (lower case) and its arguments. */
export interface Command {
  name: string;
  args: string[];
}

function splitWords(text: string): string[] {
  const trimmed = text.trim();
  return trimmed === '' ? [] : trimmed.split(/\s+/);
}

/** Reads `/name arg …` (also `／name`, and Telegram's `/name@bot`); undefined when not a command. */
export function parseCommand(text: string): Command | undefined {
  const match = /^[/／]([A-Za-z][\w-]{0,31})(?:@\w+)?(?:\s+([\s\S]*))?$/.exec(text.trim());
  if (match?.[1] === undefined) return undefined;
  return { name: match[1].toLowerCase(), args: splitWords(match[2] ?? '') };
}

/** How a platform spells commands. */
export interface PlatformSpelling {
  /** What comes before a command's name: `/`, or `/sciweek ` on Slack. */
  readonly prefix: string;
  /** In a private chat, outside a form, a command's name typed alone (`my`, `edit KP-…`) runs it. */
  readonly bareWords: boolean;
}

/** Slack's slash command; every command is one of its subcommands. */
export const SLACK_SLASH_COMMAND = '/sciweek';

const SLASH: PlatformSpelling = { prefix: '/', bareWords: false };
const SPELLINGS = new Map<string, PlatformSpelling>([['slack', { prefix: `${SLACK_SLASH_COMMAND} `, bareWords: true }]]);

/** How `platform` (an Inbound's `platform`) spells commands; a slash before the name unless it says otherwise. */
export function spellingOf(platform: string): PlatformSpelling {
  return SPELLINGS.get(platform) ?? SLASH;
}

/** A command as users of `platform` type it: `/file`, `/sciweek file`. */
export function spell(platform: string, name: string): string {
  return `${spellingOf(platform).prefix}${name}`;
}

/**
 * A bare word that may stand for a command (`my`, `edit KP-…`): the command and its arguments, when
 * the first word names one that is not internal. Whether it is taken as the command (the platform
 * allows bare words, no form is in progress, the scope and the arguments fit) is the router's call.
 */
export function parseBareWord(text: string): { spec: RegisteredCommand; args: string[] } | undefined {
  const [first, ...args] = splitWords(text);
  const spec = first === undefined ? undefined : findCommand(first);
  return spec === undefined || spec.internal === true ? undefined : { spec, args };
}

/**
 * `/sciweek <subcommand> …` → the command text the engine understands, and whether it opens a form as
 * a modal (in the user's DM). Empty or unknown subcommands get the help; internal commands are not
 * subcommands.
 */
export function fromSlackSubcommand(text: string): { command: string; opensForm: boolean } {
  const [sub = '', ...args] = splitWords(text);
  const spec = findCommand(sub);
  if (spec === undefined || spec.internal === true) return { command: '/help', opensForm: false };
  if (spec.slackModal !== undefined && args.length > 0) return { command: `/${spec.slackModal} ${args[0] ?? ''}`, opensForm: true };
  return { command: [`/${spec.name}`, ...args].join(' '), opensForm: false };
}

/** The commands of the Telegram menu, in order, with the locale key of each description. */
export function menuCommands(): { name: string; menuKey: string }[] {
  return COMMANDS.flatMap((spec) => (spec.menuKey === undefined ? [] : [{ name: spec.name, menuKey: spec.menuKey }]));
}
