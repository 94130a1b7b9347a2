/**
 * The command registry on its own: every command has its words in both locales, names and aliases
 * are unique and valid Telegram command names, every platform's spelling reads back as the same
 * command (Slack's `/sciweek <sub>` included), internal commands are no Slack subcommands, and the
 * handlers are exactly the registry's commands.
 */
import { describe, expect, it } from 'vitest';
import { COMMAND_HANDLERS } from '../../../src/bot/command-handlers.js';
import {
  COMMANDS,
  SLACK_SLASH_COMMAND,
  findCommand,
  fromSlackSubcommand,
  menuCommands,
  parseBareWord,
  parseCommand,
  spell,
  spellingOf,
} from '../../../src/bot/commands.js';
import { toEngineCommand } from '../../../src/adapters/slack/to-inbound.js';
import { LOCALES } from '../../../src/kernel/locale.js';
import { i18n } from '../../support/engine-harness.js';

/** The words after `/sciweek ` that Slack's command payload carries as its text. */
function slackText(spelled: string): string {
  const prefix = `${SLACK_SLASH_COMMAND} `;
  expect(spelled.startsWith(prefix)).toBe(true);
  return spelled.slice(prefix.length);
}

describe('command registry', () => {
  it('names every command once, aliases included, in lower case as Telegram allows', () => {
    const words = COMMANDS.flatMap((spec) => [spec.name, ...spec.aliases]);
    expect(new Set(words).size).toBe(words.length);
    for (const word of words) expect(word).toMatch(/^[a-z][a-z0-9_]{0,31}$/);
    for (const spec of COMMANDS) expect(findCommand(spec.name.toUpperCase())).toBe(spec);
    expect(findCommand('frobnicate')).toBeUndefined();
  });

  it('has the help words, argument hints and menu entries of every command in both locales', () => {
    for (const spec of COMMANDS) {
      const keys = [spec.helpKey, spec.groupHelpKey, spec.argsKey, spec.menuKey].filter((key): key is string => key !== undefined);
      expect(keys.length).toBeGreaterThan(0);
      for (const key of keys) {
        expect(i18n.has(key), `${spec.name}: ${key}`).toBe(true);
        for (const locale of LOCALES) {
          const words = i18n.forLocale(locale)(key);
          expect(words.trim(), `${locale} ${key}`).not.toBe('');
          expect(words).not.toBe(key);
        }
      }
    }
  });

  it('lists in the Telegram menu the commands with a menu entry, each within Telegram\'s limits', () => {
    const menu = menuCommands();
    expect(menu.map((entry) => entry.name)).toEqual(COMMANDS.filter((spec) => spec.menuKey !== undefined).map((spec) => spec.name));
    expect(menu.map((entry) => entry.name)).toEqual(['start', 'file', 'my', 'ask', 'help', 'cancel', 'lang', 'bind', 'unbind']);
    for (const { menuKey } of menu) {
      for (const locale of LOCALES) expect(i18n.forLocale(locale)(menuKey).length).toBeLessThanOrEqual(256);
    }
  });

  it('reads every Telegram and console spelling back as the same command', () => {
    for (const platform of ['telegram', 'console']) {
      for (const spec of COMMANDS) {
        expect(spell(platform, spec.name)).toBe(`/${spec.name}`);
        expect(parseCommand(`${spell(platform, spec.name)} a b`)).toEqual({ name: spec.name, args: ['a', 'b'] });
        expect(parseCommand(`${spell(platform, spec.name)}@sciweek_bot`)).toEqual({ name: spec.name, args: [] });
      }
      expect(spellingOf(platform).bareWords).toBe(false);
    }
  });

  it('reads every Slack spelling back as the same command, with its arguments', () => {
    expect(spellingOf('slack').bareWords).toBe(true);
    for (const spec of COMMANDS.filter((s) => s.internal !== true)) {
      for (const word of [spec.name, ...spec.aliases]) {
        const text = slackText(spell('slack', word));
        const alone = toEngineCommand(text);
        expect(alone.opensForm).toBe(false);
        expect(findCommand(parseCommand(alone.command)?.name ?? '')).toBe(spec);
        const withArgs = toEngineCommand(`${text} KP-2345678923 more`);
        const parsed = parseCommand(withArgs.command);
        if (spec.slackModal === undefined) {
          expect(withArgs.opensForm).toBe(false);
          expect(parsed).toEqual({ name: spec.name, args: ['KP-2345678923', 'more'] });
        } else {
          // `/sciweek file key-project` opens that form as a modal.
          expect(withArgs.opensForm).toBe(true);
          expect(parsed).toEqual({ name: spec.slackModal, args: ['KP-2345678923'] });
        }
        // The DM's bare word is the same command.
        expect(parseBareWord(`${text} x`)).toEqual({ spec, args: ['x'] });
      }
    }
    expect(toEngineCommand('edit KP-2CEM M8T3Z9')).toEqual({ command: '/edit KP-2CEM M8T3Z9', opensForm: false });
    expect(toEngineCommand('withdraw KP-2345678923')).toEqual({ command: '/withdraw KP-2345678923', opensForm: false });
    expect(toEngineCommand('file key-project')).toEqual({ command: '/formview key-project', opensForm: true });
    expect(toEngineCommand('MY')).toEqual({ command: '/my', opensForm: false });
  });

  it('opens as a Slack modal only a registered internal command', () => {
    const modals = COMMANDS.flatMap((spec) => (spec.slackModal === undefined ? [] : [spec.slackModal]));
    expect(modals).toEqual(['formview']);
    for (const name of modals) expect(findCommand(name)?.internal).toBe(true);
  });

  it('answers an empty or unknown /sciweek, and an internal command, with the help', () => {
    for (const text of ['', '  ', 'frobnicate', 'formview key-project', 'forms']) {
      expect(fromSlackSubcommand(text)).toEqual({ command: '/help', opensForm: false });
    }
    for (const spec of COMMANDS.filter((s) => s.internal === true)) expect(parseBareWord(spec.name)).toBeUndefined();
  });

  it('has one handler per command of the registry, and no other', () => {
    expect(Object.keys(COMMAND_HANDLERS).sort()).toEqual(COMMANDS.map((spec) => spec.name).sort());
  });
});
