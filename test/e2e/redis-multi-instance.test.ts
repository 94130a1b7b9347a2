/**
 * Two engine instances on one Redis (each with its own store and ioredis client, same URL and prefix),
 * as two bot processes behind one webhook would be: 50 concurrent answers of one user are each applied
 * exactly once with no lost update, the draft then files exactly one filing, and one delivery handed to
 * both instances (and again) is handled once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { JsonValue } from '../../src/kernel/json.js';
import type { SessionData } from '../../src/domain/session.js';
import type { RedisStore } from '../../src/store/redis-store.js';
import { event, SUMMARY_TEXT, toTurn, translate, type Sender } from '../support/engine-harness.js';
import {
  createRedisEngine,
  newRedisPrefix,
  ownerKeyOf,
  readSession,
  type RedisEngine,
} from '../support/redis-engine.js';
import { deleteKeysByPrefix } from '../support/redis-server.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const t = translate('zh-CN');

/** Fields whose value is free text, so any order of answers leaves a valid draft. */
const TEXT_FIELDS = [
  { id: 'projectName', value: (i: number) => `科普项目${i}号` },
  { id: 'organizer', value: (i: number) => `主办单位${i}号` },
  { id: 'supervisor', value: (i: number) => `主管部门${i}号` },
  { id: 'venue', value: (i: number) => `科技馆${i}号厅` },
  { id: 'projectLead', value: (i: number) => `王${i}` },
  { id: 'contactPerson', value: (i: number) => `李${i}` },
  { id: 'address', value: (i: number) => `香港中路${i}号` },
] as const;

function label(fieldId: string): string {
  return t(`flows.key-project.fields.${fieldId}.label`);
}

/** The rest of the form, pasted in one message; 项目简介 last so its lines stay one value. */
const REST_PASTE = [
  `${label('district')}：市南区`,
  `${label('period')}：5月22日-28日`,
  `${label('postalCode')}：266071`,
  `${label('phone')}：0532-85911893`,
  `${label('fax')}：0532-85911894`,
  `${label('email')}：kp@example.cn`,
  `${label('budget')}：5万元`,
  `${label('attendance')}：300`,
  `${label('summary')}：${SUMMARY_TEXT}`,
].join('\n');

const FAILURE_TEXTS = ['errors.conflict', 'errors.internal', 'errors.store_unavailable'].map((key) => t(key));

/**
 * A store that remembers every successful session commit (version and data), in completion order:
 * plain ones, and the stamped ones the engine's session cache makes.
 */
function recordCommits(store: RedisStore, commits: Array<{ version: number; data: SessionData | null }>): RedisStore {
  return {
    ...store,
    commit: async (request) => {
      const result = await store.commit(request);
      if (result.ok) commits.push({ version: result.version, data: request.data });
      return result;
    },
    commitStamped: async (request, expectedToken) => {
      const result = await store.commitStamped(request, expectedToken);
      if (result.ok) commits.push({ version: result.version, data: request.data });
      return result;
    },
  };
}

function draftValues(data: SessionData | null | undefined): Record<string, JsonValue> {
  return data?.flow?.values ?? {};
}

describe('two engine instances on one Redis', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function twoInstances(wrap?: (store: RedisStore) => RedisStore): [RedisEngine, RedisEngine] {
    const prefix = newRedisPrefix();
    cleanups.push(() => deleteKeysByPrefix(REDIS_URL, prefix));
    const options = wrap === undefined ? { url: REDIS_URL, prefix } : { url: REDIS_URL, prefix, wrapStore: wrap };
    const a = createRedisEngine(options);
    cleanups.push(() => a.close());
    const b = createRedisEngine(options);
    cleanups.push(() => b.close());
    return [a, b];
  }

  it('applies 50 concurrent answers of one user exactly once, last writer wins, then files once', async () => {
    const commits: Array<{ version: number; data: SessionData | null }> = [];
    const [a, b] = twoInstances((store) => recordCommits(store, commits));
    const sender: Sender = { userId: 'racer', chatId: 'race-chat' };

    const started = await a.say('/file key-project', sender);
    expect(started.text).toContain(label('district'));
    const before = await readSession(a.store, sender);
    expect(before?.data.flow?.flowId).toBe('key-project');
    const baseVersion = before?.version ?? 0;
    commits.splice(0);

    const messages = Array.from({ length: 50 }, (_, i) => {
      const field = TEXT_FIELDS[i % TEXT_FIELDS.length];
      if (field === undefined) throw new Error('no field');
      return { fieldId: field.id, value: field.value(i), text: `${label(field.id)}：${field.value(i)}` };
    });
    const sent = new Map<string, string[]>();
    for (const m of messages) sent.set(m.fieldId, [...(sent.get(m.fieldId) ?? []), m.value]);

    const turns = await Promise.all(
      messages.map(async (m, i) => toTurn(await (i % 2 === 0 ? a : b).handle((i % 2 === 0 ? a : b).inbound({ text: m.text }, sender)))),
    );

    // Every message was answered as a one-item paste, and none with an apology.
    for (const turn of turns) {
      for (const failure of FAILURE_TEXTS) expect(turn.text).not.toContain(failure);
      expect(turn.text).toContain(t('flow.paste_filled', { count: 1 }));
    }

    // Each answer applied exactly once: 50 more versions, each commit at its own version.
    const after = await readSession(b.store, sender);
    expect(after?.version).toBe(baseVersion + 50);
    expect(commits.map((c) => c.version).sort((x, y) => x - y)).toEqual(
      Array.from({ length: 50 }, (_, i) => baseVersion + 1 + i),
    );

    // No lost update: in version order every commit changes exactly one field, to a value sent for it,
    // keeping everything the commit before it wrote; all 50 values appear, each once.
    const ordered = [...commits].sort((x, y) => x.version - y.version);
    let previous = draftValues(before?.data);
    const applied: string[] = [];
    const lastWritten = new Map<string, JsonValue>();
    for (const commit of ordered) {
      const values = draftValues(commit.data);
      const changed = Object.keys({ ...previous, ...values }).filter(
        (id) => JSON.stringify(previous[id]) !== JSON.stringify(values[id]),
      );
      expect(changed).toHaveLength(1);
      const id = changed[0] ?? '';
      const value = values[id];
      expect(typeof value === 'string' && (sent.get(id) ?? []).includes(value), `${id} = ${JSON.stringify(value)}`).toBe(true);
      applied.push(`${id}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
      lastWritten.set(id, value ?? null);
      previous = values;
    }
    expect(applied.sort()).toEqual(messages.map((m) => `${m.fieldId}=${m.value}`).sort());

    // The stored draft is the last commit's, and each field holds the value of its last writer.
    const finalValues = draftValues(after?.data);
    expect(finalValues).toEqual(previous);
    for (const field of TEXT_FIELDS) {
      expect(sent.get(field.id)).toContain(finalValues[field.id]);
      expect(finalValues[field.id]).toEqual(lastWritten.get(field.id));
    }

    // The rest of the form, then submit: exactly one filing, with the receipt the user was told.
    const summary = await b.say(REST_PASTE, sender);
    expect(summary.text).toContain(t('flow.summary_help'));
    const done = await a.say(t('flow.nav.submit'), sender);
    const receipt = /回执号：(KP-[0-9A-Z]{10})/u.exec(done.text)?.[1];
    expect(receipt, done.text).toBeDefined();
    expect(done.text).toContain(t('filings.receipt', { receipt: receipt ?? '' }));
    const filings = await a.store.listFilings({ eventId: event.id, ownerKey: ownerKeyOf(sender) });
    expect(filings.map((f) => f.receipt)).toEqual([receipt]);
    for (const field of TEXT_FIELDS) expect(filings[0]?.values[field.id]).toEqual(finalValues[field.id]);
    expect(await b.store.getFiling(receipt ?? '')).toEqual(filings[0]);
  });

  it('handles one delivery once when both instances get it at the same time, and again later', async () => {
    const [a, b] = twoInstances();
    const sender: Sender = { userId: 'twice', chatId: 'twice-chat' };
    await a.say('/file key-project', sender);
    const before = await readSession(a.store, sender);
    const baseVersion = before?.version ?? 0;
    expect(baseVersion).toBeGreaterThan(0);

    const message = a.inbound({ text: '市南' }, sender);
    const [fromA, fromB] = await Promise.all([a.handle(message), b.handle(message)]);
    const again = await a.handle(message);
    const answered = [fromA, fromB, again].filter((replies) => replies.length > 0);
    expect(answered).toHaveLength(1);
    expect([fromA, fromB, again].filter((replies) => replies.length === 0)).toHaveLength(2);
    expect(toTurn(answered[0] ?? []).text).toContain(label('projectName'));

    const after = await readSession(b.store, sender);
    expect(after?.version).toBe(baseVersion + 1);
    expect(after?.data.flow?.values['district']).toBe('shinan');
    expect(after?.data.flow?.cursor).toEqual({ kind: 'field', fieldId: 'projectName' });
  });
});
