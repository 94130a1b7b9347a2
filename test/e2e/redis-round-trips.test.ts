/**
 * Redis round trips an update: at most two (DESIGN §2), one for an answer in a draft whose session the
 * process holds in its session cache — a plain answer and a submit that writes the filing each cost the
 * commit alone —, counted at the Store boundary beneath the cache (instrumentStampedStore) and at the
 * server itself (a private redis-server: INFO commandstats counts one script call, and MONITOR shows
 * that the client sent nothing else; every other command counted ran inside that script). A command, a
 * cold instance or an old copy costs two.
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { instrumentStampedStore } from '../../src/store/instrumented-store.js';
import type { Store } from '../../src/store/store.js';
import { KEY_PROJECT_ANSWERS, translate, type Sender } from '../support/engine-harness.js';
import { createRedisEngine, eventually, newRedisPrefix, readSession, type RedisEngine } from '../support/redis-engine.js';
import { deleteKeysByPrefix, startRedisServer, type RedisServer } from '../support/redis-server.js';

const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const t = translate('zh-CN');
const RECEIPT = /回执号：(KP-[0-9A-Z]{10})/u;

/** Answers every field but the last, so the next message completes the form. */
async function fillAllButLast(engine: RedisEngine, sender: Sender): Promise<void> {
  await engine.say('/file key-project', sender);
  for (const answer of KEY_PROJECT_ANSWERS.slice(0, -1)) await engine.say(answer, sender);
}

/** Calls per command since the server started, from INFO commandstats. */
async function commandCalls(admin: Redis): Promise<Map<string, number>> {
  const info = await admin.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gmu)) calls.set(match[1] ?? '', Number(match[2]));
  return calls;
}

/** Commands whose call count changed between two snapshots, INFO itself left out. */
function callsBetween(before: Map<string, number>, after: Map<string, number>): Record<string, number> {
  const delta: Record<string, number> = {};
  for (const [command, calls] of after) {
    const grown = calls - (before.get(command) ?? 0);
    if (grown !== 0 && command !== 'info') delta[command] = grown;
  }
  return delta;
}

function scriptCalls(delta: Record<string, number>): number {
  return (delta['evalsha'] ?? 0) + (delta['eval'] ?? 0);
}

function withoutScripts(delta: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(delta).filter(([command]) => command !== 'eval' && command !== 'evalsha'));
}

function countOf(commands: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const command of commands) counts[command] = (counts[command] ?? 0) + 1;
  return counts;
}

/** Commands seen by MONITOR since the last settle: sent by clients, or run inside a Lua script. */
interface Seen {
  fromClients: string[];
  fromScripts: string[];
}

/**
 * Watches the server with MONITOR. `settle` sends a marker through `admin` and waits (bounded) until
 * MONITOR shows it, so everything before it has been seen; it returns and forgets what was seen, the
 * admin connection's own INFO and ECHO left out.
 */
async function watchCommands(admin: Redis): Promise<{ settle(): Promise<Seen>; stop(): void }> {
  const monitor = await admin.monitor();
  let seen: Seen = { fromClients: [], fromScripts: [] };
  const markers = new Set<string>();
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    const command = (args[0] ?? '').toLowerCase();
    if (command === 'echo' && args[1] !== undefined && args[1].startsWith('marker:')) return void markers.add(args[1]);
    if (command === 'info' || command === 'echo') return;
    (source === 'lua' ? seen.fromScripts : seen.fromClients).push(command);
  });
  let count = 0;
  return {
    settle: async () => {
      count += 1;
      const marker = `marker:${count}`;
      await admin.echo(marker);
      await eventually(() => (markers.has(marker) ? Promise.resolve() : Promise.reject(new Error(`MONITOR has not shown ${marker}`))), 10_000);
      const result = seen;
      seen = { fromClients: [], fromScripts: [] };
      return result;
    },
    stop: () => monitor.disconnect(),
  };
}

describe('Redis round trips an update', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('costs one call for an answer in a draft, begin + commit for a command, a cold start or an old copy', async () => {
    const prefix = newRedisPrefix();
    cleanups.push(() => deleteKeysByPrefix(REDIS_URL, prefix));
    const calls: Array<keyof Store> = [];
    const engine = createRedisEngine({
      url: REDIS_URL,
      prefix,
      wrapStore: (store) => instrumentStampedStore(store, (operation) => void calls.push(operation)),
    });
    cleanups.push(() => engine.close());
    const sender: Sender = { userId: 'counted' };

    await engine.say('/file key-project', sender);
    expect(calls).toEqual(['begin', 'commit']);
    calls.splice(0);
    const answered = await engine.say(KEY_PROJECT_ANSWERS[0] ?? '', sender);
    expect(answered.text).toContain(t('flows.key-project.fields.projectName.label'));
    expect(calls).toEqual(['commit']);

    for (const answer of KEY_PROJECT_ANSWERS.slice(1)) await engine.say(answer, sender);
    expect((await readSession(engine.store, sender))?.data.flow?.cursor).toEqual({ kind: 'summary' });
    calls.splice(0);
    const done = await engine.say(t('flow.nav.submit'), sender);
    expect(calls).toEqual(['commit']);
    const receipt = RECEIPT.exec(done.text)?.[1];
    expect(receipt, done.text).toBeDefined();
    expect((await engine.store.getFiling(receipt ?? ''))?.status).toBe('submitted');
    calls.splice(0);
    await engine.say('/help', sender);
    expect(calls).toEqual(['begin', 'commit']);

    // A second instance (nothing held) answers one field: it reads first.
    const otherCalls: Array<keyof Store> = [];
    const other = createRedisEngine({
      url: REDIS_URL,
      prefix,
      wrapStore: (store) => instrumentStampedStore(store, (operation) => void otherCalls.push(operation)),
    });
    cleanups.push(() => other.close());
    const both: Sender = { userId: 'two-instances' };
    await engine.say('/file key-project', both);
    await engine.say(KEY_PROJECT_ANSWERS[0] ?? '', both);
    const second = await other.say(KEY_PROJECT_ANSWERS[1] ?? '', both);
    expect(otherCalls).toEqual(['begin', 'commit']);
    expect(second.text).toContain(t('flows.key-project.fields.organizer.label'));
    // The first instance's copy is now old: its commit is refused with the live session, and the rerun lands.
    calls.splice(0);
    const third = await engine.say(KEY_PROJECT_ANSWERS[2] ?? '', both);
    expect(calls).toEqual(['commit', 'commit']);
    expect(third.text).toContain(t('flows.key-project.fields.supervisor.label'));
    const values = (await readSession(engine.store, both))?.data.flow?.values;
    expect(Object.keys(values ?? {})).toEqual(['district', 'projectName', 'organizer']);
  });

  it('sends exactly one script call and nothing else to the server for an answer and for a submit', async () => {
    const server: RedisServer = await startRedisServer();
    cleanups.push(() => server.remove());
    const engine = createRedisEngine({ url: server.url, prefix: newRedisPrefix() });
    cleanups.push(() => engine.close());
    const admin = new Redis(server.url);
    cleanups.push(async () => void (await admin.quit()));
    const sender: Sender = { userId: 'server-counted' };

    // Warm up: the client's connection handshake and the scripts' first load happen here.
    await fillAllButLast(engine, sender);
    const watcher = await watchCommands(admin);
    cleanups.push(() => Promise.resolve(watcher.stop()));

    /** One message's cost: the commandstats delta and the commands clients (not scripts) sent. */
    async function measure(text: string) {
      await watcher.settle();
      const before = await commandCalls(admin);
      const turn = await engine.say(text, sender);
      const delta = callsBetween(before, await commandCalls(admin));
      const seen = await watcher.settle();
      return { turn, delta, seen };
    }

    const answer = await measure(KEY_PROJECT_ANSWERS.at(-1) ?? '');
    expect(answer.turn.text).toContain(t('flow.summary_help'));
    expect(scriptCalls(answer.delta)).toBe(1);
    expect(answer.seen.fromClients).toEqual(['evalsha']);
    // Every other command counted by the server ran inside that script.
    expect(withoutScripts(answer.delta)).toEqual(countOf(answer.seen.fromScripts));
    expect(answer.seen.fromScripts.length).toBeGreaterThan(0);

    const submit = await measure(t('flow.nav.submit'));
    expect(submit.turn.text).toMatch(RECEIPT);
    expect(scriptCalls(submit.delta)).toBe(1);
    expect(submit.seen.fromClients).toEqual(['evalsha']);
    expect(withoutScripts(submit.delta)).toEqual(countOf(submit.seen.fromScripts));
  });
});

describe('answering from the held session', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('drops a re-delivered answer at the commit: applied once, no second reply', async () => {
    const prefix = newRedisPrefix();
    cleanups.push(() => deleteKeysByPrefix(REDIS_URL, prefix));
    const engine = createRedisEngine({ url: REDIS_URL, prefix });
    cleanups.push(() => engine.close());
    const sender: Sender = { userId: 'redelivered' };
    await engine.say('/file key-project', sender);
    await engine.say(KEY_PROJECT_ANSWERS[0] ?? '', sender);
    const first = await engine.handle(engine.inbound({ text: '海洋科普嘉年华' }, { ...sender, deliveryId: 'update-42' }));
    expect(first.length).toBeGreaterThan(0);
    const again = await engine.handle(engine.inbound({ text: '海洋科普嘉年华' }, { ...sender, deliveryId: 'update-42' }));
    expect(again).toEqual([]);
    const flow = (await readSession(engine.store, sender))?.data.flow;
    expect(flow?.values['projectName']).toBe('海洋科普嘉年华');
    expect(flow?.cursor).toMatchObject({ kind: 'field', fieldId: 'organizer' });
  });
});
