/**
 * Two Redis round trips an update (DESIGN §2, engine step 5): a plain answer and a submit that writes
 * the filing each cost exactly `begin` + `commit`, counted at the Store boundary (instrumentStore) and
 * at the server itself (a private redis-server: INFO commandstats counts two script calls, and MONITOR
 * shows that the client sent nothing else; every other command counted ran inside those scripts).
 */
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { instrumentStore } from '../../src/store/instrumented-store.js';
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

describe('two Redis round trips an update', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('costs begin + commit for an answer and for a submit, at the Store boundary', async () => {
    const prefix = newRedisPrefix();
    cleanups.push(() => deleteKeysByPrefix(REDIS_URL, prefix));
    const calls: Array<keyof Store> = [];
    const engine = createRedisEngine({
      url: REDIS_URL,
      prefix,
      wrapStore: (store) => instrumentStore(store, (operation) => void calls.push(operation)),
    });
    cleanups.push(() => engine.close());
    const sender: Sender = { userId: 'counted' };

    await engine.say('/file key-project', sender);
    calls.splice(0);
    const answered = await engine.say(KEY_PROJECT_ANSWERS[0] ?? '', sender);
    expect(answered.text).toContain(t('flows.key-project.fields.projectName.label'));
    expect(calls).toEqual(['begin', 'commit']);

    for (const answer of KEY_PROJECT_ANSWERS.slice(1)) await engine.say(answer, sender);
    expect((await readSession(engine.store, sender))?.data.flow?.cursor).toEqual({ kind: 'summary' });
    calls.splice(0);
    const done = await engine.say(t('flow.nav.submit'), sender);
    expect(calls).toEqual(['begin', 'commit']);
    const receipt = RECEIPT.exec(done.text)?.[1];
    expect(receipt, done.text).toBeDefined();
    expect((await engine.store.getFiling(receipt ?? ''))?.status).toBe('submitted');
  });

  it('sends exactly two script calls and nothing else to the server for an answer and for a submit', async () => {
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
    expect(scriptCalls(answer.delta)).toBe(2);
    expect(answer.seen.fromClients).toEqual(['evalsha', 'evalsha']);
    // Every other command counted by the server ran inside those two scripts.
    expect(withoutScripts(answer.delta)).toEqual(countOf(answer.seen.fromScripts));
    expect(answer.seen.fromScripts.length).toBeGreaterThan(0);

    const submit = await measure(t('flow.nav.submit'));
    expect(submit.turn.text).toMatch(RECEIPT);
    expect(scriptCalls(submit.delta)).toBe(2);
    expect(submit.seen.fromClients).toEqual(['evalsha', 'evalsha']);
    expect(withoutScripts(submit.delta)).toEqual(countOf(submit.seen.fromScripts));
  });
});
