/**
 * Injection: what a user types cannot become Telegram HTML, a Slack mention, link or
 * mrkdwn formatting (in messages, retired buttons and modals), a spreadsheet formula (XLSX and CSV
 * cells, file names included), a path in an export file name, or a prototype change (`__proto__`,
 * `constructor`, `prototype` in pasted labels, Slack modal state, platform JSON and stored JSON).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { parseJsonSafely } from '../../src/kernel/json.js';
import { inPrivateChat, type Reply } from '../../src/domain/reply.js';
import { toTelegramMessages } from '../../src/adapters/telegram/render.js';
import { escapeMrkdwn, retireButtons, toModal, toSlackMessages } from '../../src/adapters/slack/render.js';
import { fromModalValues } from '../../src/adapters/slack/to-inbound.js';
import { exportFileName, exportFilings } from '../../src/export/index.js';
import { neutralizeCell } from '../../src/export/cells.js';
import { parseCsv } from '../support/csv.js';
import { allFlows, event, exportContext, filing, keyProjectFiling } from '../support/sample-filings.js';
import { createHarness, fillKeyProject, i18n, KEY_PROJECT_ANSWERS, type Harness } from '../support/engine-harness.js';
import { createEngine } from '../../src/bot/engine.js';
import { silentLogger } from '../../src/kernel/logger.js';
import { botPorts } from '../support/content.js';

const HTML_TYPED = '<b>x</b> <a href="javascript:alert(1)">y</a> &amp; <script>';
const SLACK_TYPED = '<!channel> <@U123> <http://evil.example|click> *bold* _it_ ~s~ `c`';
const FORMULAS = ['=HYPERLINK("http://evil.example","x")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', ' =1+1', '\u3000=1'];

let h: Harness;
beforeAll(() => {
  h = createHarness();
});
afterAll(async () => {
  await h.cleanup();
});
afterEach(() => {
  for (const key of ['polluted', 'isStaff', 'x']) expect(Object.prototype).not.toHaveProperty(key);
});

/** Files a key project with `organizer` and `projectName` typed as given; returns the summary turn's replies. */
async function summaryWith(userId: string, projectName: string, organizer: string): Promise<Reply[]> {
  const answers = [...KEY_PROJECT_ANSWERS];
  answers[1] = projectName;
  answers[2] = organizer;
  const turn = await fillKeyProject(h, { userId }, answers);
  return turn.replies;
}

function slackTexts(replies: readonly Reply[]): string[] {
  return inPrivateChat(replies).flatMap((reply) =>
    toSlackMessages(reply).flatMap((message) => [
      message.text,
      ...message.blocks.flatMap((block) => {
        const text = block['text'] as { text?: string } | undefined;
        const elements = (block['elements'] as { text?: { text?: string } | string }[] | undefined) ?? [];
        return [text?.text ?? '', ...elements.map((e) => (typeof e.text === 'string' ? e.text : (e.text?.text ?? '')))];
      }),
    ]),
  );
}

describe('markup typed by users', () => {
  it('stays literal text in Telegram HTML', async () => {
    const replies = await summaryWith('inj-tg', HTML_TYPED.slice(0, 40), HTML_TYPED);
    const html = inPrivateChat(replies).flatMap((reply) => toTelegramMessages(reply, 'bot')).map((m) => (m.kind === 'text' ? m.html : '')).join('\n');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt; &lt;a href=&quot;javascript:alert(1)&quot;&gt;y&lt;/a&gt; &amp;amp; &lt;script&gt;');
    expect(html).not.toMatch(/<a href="javascript|<script|<b>x<\/b>/);
  });

  it('cannot mention, link or format in any Slack text, retired button or modal', async () => {
    const replies = await summaryWith('inj-sl', SLACK_TYPED.slice(0, 50), SLACK_TYPED);
    const texts = slackTexts(replies).join('\n');
    expect(texts).toContain('&lt;!channel&gt;');
    expect(texts).not.toMatch(/<!channel>|<@U123>|<http:\/\/evil\.example\|click>/);
    // Each marker the user typed is followed by a zero-width space, so no pair of them can format.
    expect(texts).not.toMatch(/\*bold\*|_it_|~s~|`c`/);
    const retired = retireButtons([], SLACK_TYPED);
    expect(JSON.stringify(retired)).not.toMatch(/<!channel>|<@U123>|\*bold\*/);
    expect(escapeMrkdwn('<!here|here>')).toBe('&lt;!here|here&gt;');

    const modal = toModal(
      {
        flowId: 'key-project',
        title: SLACK_TYPED,
        submitLabel: '提交',
        cancelLabel: '取消',
        fields: [{ id: 'organizer', label: SLACK_TYPED, input: 'text', optional: false, initial: SLACK_TYPED }],
      } as never,
      '{}',
    );
    // Only plain_text objects: Slack shows their text as typed and never parses mentions or links in it.
    const kinds = JSON.stringify(modal).match(/"type":"(mrkdwn|plain_text)"/g) ?? [];
    expect(kinds.length).toBeGreaterThan(0);
    expect(kinds.every((kind) => kind.includes('plain_text'))).toBe(true);
  });
});

describe('spreadsheet formulas', () => {
  it('are neutralised in every leading form', () => {
    for (const formula of FORMULAS) expect(neutralizeCell(formula).startsWith("'")).toBe(true);
    expect(neutralizeCell('a=b')).toBe('a=b');
    expect(neutralizeCell('x\u0000\u0008y\ud800')).toBe('xy\ufffd');
  });

  it('are text in every CSV and XLSX cell, file names included; the file names are ids only', async () => {
    const filings = FORMULAS.map((formula) =>
      keyProjectFiling('shinan', { projectName: formula, organizer: formula, venue: `${formula}/..\\x` }),
    );
    const exhibit = filing('exhibitor', 'laoshan', {
      exhibitor: '=cmd|" /C calc"!A0',
      contactPerson: '@x',
      contactPhone: '13800138000',
      description: '-'.repeat(30),
      districtContact: '+x',
      districtContactPhone: '0532-88996677',
      photos: [{ kind: 'photo', fileRef: 'f', name: '=HYPERLINK("http://x").jpg' }],
    }, { ownerName: '=1+1' });
    const context = exportContext();
    const csv = await exportFilings({ format: 'csv', formId: 'key-project', event, flows: allFlows, filings, declarations: [], fieldContext: context });
    expect(csv.name).toMatch(/^sciweek-[a-z0-9-]+-key-project-\d{8}\.csv$/);
    const rows = parseCsv(new TextDecoder().decode(csv.data).replace(/^\uFEFF/, ''));
    const cells = rows.slice(1).flat();
    expect(cells.length).toBeGreaterThan(0);
    for (const cell of cells) expect(cell, cell).not.toMatch(/^(?:[=+\-@\t\r]|[ \u3000]+[=+\-@])/);

    const xlsx = await exportFilings({ format: 'xlsx', event, flows: allFlows, filings: [...filings, exhibit], declarations: [], fieldContext: context });
    expect(xlsx.name).toMatch(/^sciweek-[a-z0-9-]+-all-\d{8}\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.data) as never);
    let strings = 0;
    wb.eachSheet((sheet) =>
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.type).not.toBe(ExcelJS.ValueType.Formula);
          if (typeof cell.value === 'string') {
            strings += 1;
            expect(cell.value, cell.value).not.toMatch(/^(?:[=+\-@\t\r]|[ \u3000]+[=+\-@])/);
          }
        }),
      ),
    );
    expect(strings).toBeGreaterThan(20);
  });

  it('builds export file names from ids only, whatever the ids hold', () => {
    for (const id of ['../../etc/passwd', 'a/b', 'a\\b', 'x\u0000y', '\u202eexe.txt', '..', '']) {
      const name = exportFileName(id, id, new Date('2021-05-01T10:00:00+08:00'), 'csv');
      expect(name).toMatch(/^sciweek-[a-z0-9-]+-[a-z0-9-]+-20210501\.csv$/);
    }
  });

  it('names the staff /export file from ids only, whatever the filings hold, also as a Telegram document', async () => {
    const answers = [...KEY_PROJECT_ANSWERS];
    answers[1] = '../../etc/passwd';
    answers[2] = 'C:\\Windows\\x\u0000';
    await fillKeyProject(h, { userId: 'inj-paths' }, answers);
    await h.say('提交', { userId: 'inj-paths' });
    const staff = createEngine({
      ...botPorts,
      sessions: h.store,
      store: h.store,
      event,
      flows: allFlows,
      i18n,
      clock: h.clock,
      log: silentLogger,
      defaultLocale: 'zh-CN',
      sessionTtlMs: 60_000,
      dedupeTtlMs: 60_000,
      staff: new Set(['test:boss']),
    });
    for (const command of ['/export csv key-project', '/export xlsx', '/export docx key-project']) {
      const replies = await staff.handle(h.inbound({ text: command }, { userId: 'boss' }));
      const file = replies.find((reply) => reply.kind === 'file');
      expect(file?.kind === 'file' ? file.name : '').toMatch(/^sciweek-qingdao-2021-(?:key-project|all)-20210420\.(?:csv|xlsx|docx)$/);
      const [document] = file === undefined ? [] : toTelegramMessages(file, 'bot');
      const name = document?.kind === 'document' ? document.name : '';
      expect(name).not.toMatch(/[/\\]|\.\./);
      expect(name).not.toContain('\u0000');
    }
  });
});

describe('__proto__, constructor and prototype keys', () => {
  it('in pasted label lines fill nothing and change nothing', async () => {
    await h.say('/file key-project', { userId: 'inj-paste' });
    const turn = await h.say('__proto__：x\nconstructor：y\nprototype：z\n项目名称：青岛海洋节', { userId: 'inj-paste' });
    expect(turn.replies.length).toBeGreaterThan(0);
    const begun = await h.store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key: { platform: 'test', chatId: 'c1', userId: 'inj-paste' } });
    const values = begun.session?.data.flow?.values ?? {};
    expect(Object.keys(values).filter((key) => ['__proto__', 'constructor', 'prototype'].includes(key))).toEqual([]);
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
  });

  it('in Slack modal state are not taken as fields', () => {
    const state = parseJsonSafely(
      '{"__proto__":{"__proto__":{"type":"plain_text_input","value":"x"}},"constructor":{"constructor":{"type":"file_input","files":[]}},"organizer":{"organizer":{"type":"plain_text_input","value":"协会"}}}',
    );
    const submitted = fromModalValues(state);
    expect(submitted.values).toEqual({ organizer: '协会' });
    expect(Object.keys(submitted.files)).toEqual([]);
    expect(Object.getPrototypeOf(submitted.files)).toBe(Object.prototype);
  });

  it('in JSON read back from the store or a platform are dropped', async () => {
    const text = '{"district":"shinan","__proto__":{"isStaff":true},"constructor":{"prototype":{"polluted":1}},"nested":{"\\u005f_proto__":{"x":1}}}';
    const parsed = parseJsonSafely(text) as Record<string, unknown>;
    expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
    expect(parsed['isStaff']).toBeUndefined();
    const merged: Record<string, unknown> = Object.assign({}, parsed, parsed['nested']);
    expect(merged['x']).toBeUndefined();

    // A session written with such keys comes back without them.
    const key = { platform: 'test', chatId: 'c1', userId: 'inj-store' };
    const data = parseJsonSafely('{"district":"shinan","__proto__":{"isStaff":true}}') as { district: string };
    const evil = JSON.parse('{"district":"shinan","__proto__":{"isStaff":true}}') as { district: string };
    expect(Object.keys(evil)).toContain('__proto__');
    expect((await h.store.commit({ key, expectedVersion: 0, data: evil, sessionTtlMs: 60_000 })).ok).toBe(true);
    const back = await h.store.begin({ deliveryId: undefined, dedupeTtlMs: 1, key });
    expect(back.session?.data).toEqual(data);
    expect(Object.keys(back.session?.data ?? {})).toEqual(['district']);
  });
});
