/**
 * Crash safety on a private redis-server with an append-only file fsynced on every write: three key
 * projects are filed and a fourth is half-way when Redis is SIGKILLed. While it is down every message
 * gets the localized "temporarily unavailable" apology (the handler never rejects) and nothing is
 * applied; after a restart on the same directory and port the same engine and store carry on: every
 * confirmed receipt is there, the draft continues at the field where it stopped, and the answer sent
 * during the outage, sent again, is applied once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { toPlainText } from '../../src/domain/reply.js';
import { KEY_PROJECT_ANSWERS, KEY_PROJECT_VALUES, translate, type Sender } from '../support/engine-harness.js';
import { createRedisEngine, eventually, newRedisPrefix, readSession, type RedisEngine } from '../support/redis-engine.js';
import { startRedisServer, type RedisServer } from '../support/redis-server.js';

const t = translate('zh-CN');
const RECEIPT = /回执号：(KP-[0-9A-Z]{10})/u;
const FIELD_COUNT = KEY_PROJECT_ANSWERS.length;

/** Files one key project from start to end as `sender`; returns the receipt the user was shown. */
async function fileKeyProject(engine: RedisEngine, sender: Sender, projectName: string): Promise<string> {
  await engine.say('/file key-project', sender);
  for (const [i, answer] of KEY_PROJECT_ANSWERS.entries()) await engine.say(i === 1 ? projectName : answer, sender);
  const done = await engine.say(t('flow.nav.submit'), sender);
  const receipt = RECEIPT.exec(done.text)?.[1];
  if (receipt === undefined) throw new Error(`no receipt in:\n${done.text}`);
  expect(done.text).toContain(t('filings.receipt', { receipt }));
  return receipt;
}

describe('Redis outage with an append-only file', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('keeps every confirmed filing and the draft across a SIGKILL, apologises meanwhile, and resumes', async () => {
    const server: RedisServer = await startRedisServer({ appendOnly: true });
    cleanups.push(() => server.remove());
    const engine = createRedisEngine({ url: server.url, prefix: newRedisPrefix() });
    cleanups.push(() => engine.close());

    // Three filings, each confirmed with a receipt.
    const filed: Array<{ receipt: string; projectName: string; owner: Sender }> = [];
    for (const n of [1, 2, 3]) {
      const owner: Sender = { userId: `filer-${n}`, chatId: `chat-${n}` };
      const projectName = `青岛海洋科普嘉年华${n}号`;
      filed.push({ receipt: await fileKeyProject(engine, owner, projectName), projectName, owner });
    }
    expect(new Set(filed.map((f) => f.receipt)).size).toBe(3);

    // A fourth, answered up to field 5 (举办地点); field 6 (举办时间) is next.
    const drafter: Sender = { userId: 'drafter', chatId: 'draft-chat' };
    await engine.say('/file key-project', drafter);
    let turn = await engine.say(KEY_PROJECT_ANSWERS[0] ?? '', drafter);
    for (const answer of KEY_PROJECT_ANSWERS.slice(1, 5)) turn = await engine.say(answer, drafter);
    expect(turn.text).toContain(t('flow.progress', { n: 6, total: FIELD_COUNT }));
    const beforeKill = await readSession(engine.store, drafter);
    expect(beforeKill?.data.flow?.cursor).toEqual({ kind: 'field', fieldId: 'period' });
    expect(Object.keys(beforeKill?.data.flow?.values ?? {}).sort()).toEqual(
      ['district', 'projectName', 'organizer', 'supervisor', 'venue'].sort(),
    );

    await server.kill();

    // Down: both messages get exactly the apology, and the handler resolves.
    const sixth = engine.inbound({ text: KEY_PROJECT_ANSWERS[5] ?? '' }, drafter);
    const other = engine.inbound({ text: '/file key-project' }, { userId: 'newcomer', chatId: 'new-chat' });
    for (const message of [sixth, other]) {
      const replies = await engine.handle(message);
      expect(replies).toHaveLength(1);
      expect(replies.map((reply) => toPlainText(reply))).toEqual([t('errors.store_unavailable')]);
    }

    await server.restart();
    await eventually(() => engine.store.ping());

    // Every confirmed receipt survived the kill, as it was confirmed.
    for (const { receipt, projectName, owner } of filed) {
      const filing = await engine.store.getFiling(receipt);
      expect(filing?.status, receipt).toBe('submitted');
      expect(filing?.ownerKey).toBe(`test:${owner.userId ?? ''}`);
      expect(filing?.values['projectName']).toBe(projectName);
      expect(filing?.values['summary']).toBe(KEY_PROJECT_VALUES.summary);
    }

    // The draft is as it was before the kill: the answer sent during the outage was not applied.
    const afterRestart = await readSession(engine.store, drafter);
    expect(afterRestart).toEqual(beforeKill);
    expect(await readSession(engine.store, { userId: 'newcomer', chatId: 'new-chat' })).toBeUndefined();

    // The same delivery, sent again, is now taken as field 6, once; the form goes on at field 7.
    const resent = await engine.handle(sixth);
    expect(resent.map((reply) => toPlainText(reply)).join('\n')).toContain(t('flow.progress', { n: 7, total: FIELD_COUNT }));
    const applied = await readSession(engine.store, drafter);
    expect(applied?.version).toBe((beforeKill?.version ?? 0) + 1);
    expect(applied?.data.flow?.values['period']).toEqual(KEY_PROJECT_VALUES.period);
    expect(applied?.data.flow?.cursor).toEqual({ kind: 'field', fieldId: 'projectLead' });
    expect(await engine.handle(sixth)).toEqual([]);
    expect((await readSession(engine.store, drafter))?.version).toBe(applied?.version);

    // And the draft can be finished and filed on the same engine.
    for (const answer of KEY_PROJECT_ANSWERS.slice(6)) await engine.say(answer, drafter);
    const done = await engine.say(t('flow.nav.submit'), drafter);
    const receipt = RECEIPT.exec(done.text)?.[1];
    expect(receipt, done.text).toBeDefined();
    expect((await engine.store.getFiling(receipt ?? ''))?.values['period']).toEqual(KEY_PROJECT_VALUES.period);
  });
});
