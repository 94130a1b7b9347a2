/**
 * `/help` lists every command the asker may use in that chat, as the platform spells them: the 11 of
 * a private chat (`/start` and `/help` included), the group's own in a group, staff commands to staff
 * only; on Slack as `/sciweek <command>`. On the real engine and SQLite store, in zh-CN and en.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness, type Sender } from '../../support/engine-harness.js';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.cleanup();
  harness = undefined;
});

const PRIVATE = ['start', 'file', 'my', 'edit', 'withdraw', 'receipt', 'none', 'ask', 'help', 'cancel', 'lang'];
const STAFF = ['status', 'missing', 'list', 'show', 'reopen', 'export', 'remind'];
/** The commands a help line starts with, in order. */
const listed = (text: string, prefix: string): string[] =>
  text.split('\n').flatMap((line) => (line.startsWith(prefix) ? [line.slice(prefix.length).split(/[ —]/)[0] ?? ''] : []));

describe('/help', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    it(`lists all 11 private commands, and no staff ones, to a contact person (${locale})`, async () => {
      harness = createHarness({ staff: ['test:staff'] });
      const help = await harness.say('/help', { localeHint: locale });
      expect(listed(help.text, '/')).toEqual(PRIVATE);
    });

    it(`lists the staff commands to staff too, spelled for Slack (${locale})`, async () => {
      harness = createHarness({ staff: ['slack:staff'] });
      const help = await harness.say('/help', { userId: 'staff', platform: 'slack', localeHint: locale });
      expect(listed(help.text, '/sciweek ')).toEqual([...PRIVATE, ...STAFF]);
    });
  }

  it('lists in a group what works in a group: the group commands and those of any chat', async () => {
    harness = createHarness();
    const sender: Sender = { chatId: 'g1', chatKind: 'group' };
    const help = await harness.say('/help', sender);
    expect(listed(help.text, '/')).toEqual(['file', 'none', 'ask', 'help', 'cancel', 'lang', 'bind', 'unbind']);
  });
});
