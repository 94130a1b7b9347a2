/**
 * Session cases of the Store contract: misses, round trips, compare-and-set, TTL, deletion and the
 * values that break naive serialisers (`__proto__` keys, emoji, RTL overrides, 100 KB strings).
 */
import { expect, it } from 'vitest';
import type { JsonValue } from '../../src/kernel/json.js';
import type { SessionData } from '../../src/domain/session.js';
import type { Harness } from '../support/store-fixtures.js';
import { makeFlowState, makeSessionData, SESSION_TTL_MS, uniqueKey } from '../support/store-fixtures.js';

type Run = (body: (harness: Harness) => Promise<void>) => Promise<void>;

/** Registers the session cases inside the current describe block. */
export function registerSessionCases(run: Run): void {
  it('returns undefined for a session never saved', () =>
    run(async ({ store }) => {
      const result = await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key: uniqueKey('miss') });
      expect(result).toEqual({ duplicate: false, session: undefined });
    }));

  it('round-trips a realistic session with a draft and bumps the version on every save', () =>
    run(async ({ store }) => {
      const key = uniqueKey('round-trip');
      const data = makeSessionData();
      expect(await store.commit({ key, expectedVersion: 0, data, sessionTtlMs: SESSION_TTL_MS })).toEqual({
        ok: true,
        version: 1,
      });
      const loaded = await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key });
      expect(loaded.session).toEqual({ version: 1, data });
      const summary = makeSessionData({ flow: makeFlowState({ cursor: { kind: 'summary' }, fromSummary: true }) });
      const edit = makeSessionData({
        locale: 'en',
        flow: makeFlowState({
          target: { kind: 'edit', receipt: 'R-1', filingVersion: 2 },
          cursor: { kind: 'confirm', fieldId: 'expectedVisitors', value: 30000, warning: 'unusually_large' },
        }),
      });
      expect(await store.commit({ key, expectedVersion: 1, data: summary, sessionTtlMs: SESSION_TTL_MS })).toEqual({
        ok: true,
        version: 2,
      });
      expect(await store.commit({ key, expectedVersion: 2, data: edit, sessionTtlMs: SESSION_TTL_MS })).toEqual({
        ok: true,
        version: 3,
      });
      expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session).toEqual({
        version: 3,
        data: edit,
      });
    }));

  it('keeps sessions apart when ids differ only in where a separator falls', () =>
    run(async ({ store }) => {
      const base = uniqueKey('separator');
      const a = { platform: base.platform, chatId: `${base.chatId}:x`, userId: base.userId };
      const b = { platform: base.platform, chatId: base.chatId, userId: `x:${base.userId}` };
      await store.commit({ key: a, expectedVersion: 0, data: { locale: 'en' }, sessionTtlMs: SESSION_TTL_MS });
      expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key: b })).session).toBeUndefined();
      const other = { ...a, platform: 'slack' };
      expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key: other })).session).toBeUndefined();
    }));

  it('refuses a stale expectedVersion and writes nothing', () =>
    run(async ({ store }) => {
      const key = uniqueKey('stale');
      const first = makeSessionData({ district: '崂山区' });
      const second = makeSessionData({ district: '黄岛区' });
      await store.commit({ key, expectedVersion: 0, data: first, sessionTtlMs: SESSION_TTL_MS });
      await store.commit({ key, expectedVersion: 1, data: second, sessionTtlMs: SESSION_TTL_MS });
      const stale = await store.commit({ key, expectedVersion: 1, data: first, sessionTtlMs: SESSION_TTL_MS });
      expect(stale).toEqual({ ok: false, conflict: 'session' });
      const ahead = await store.commit({ key, expectedVersion: 7, data: first, sessionTtlMs: SESSION_TTL_MS });
      expect(ahead).toEqual({ ok: false, conflict: 'session' });
      expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session).toEqual({
        version: 2,
        data: second,
      });
    }));

  it('lets exactly one of two concurrent commits at the same version win', () =>
    run(async ({ store }) => {
      const key = uniqueKey('race');
      await store.commit({ key, expectedVersion: 0, data: makeSessionData(), sessionTtlMs: SESSION_TTL_MS });
      const left = makeSessionData({ district: '市北区' });
      const right = makeSessionData({ district: '李沧区' });
      const results = await Promise.all([
        store.commit({ key, expectedVersion: 1, data: left, sessionTtlMs: SESSION_TTL_MS }),
        store.commit({ key, expectedVersion: 1, data: right, sessionTtlMs: SESSION_TTL_MS }),
      ]);
      const winners = results.filter((result) => result.ok);
      expect(winners).toEqual([{ ok: true, version: 2 }]);
      expect(results.filter((result) => !result.ok)).toEqual([{ ok: false, conflict: 'session' }]);
      const expected = results[0]?.ok === true ? left : right;
      expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session).toEqual({
        version: 2,
        data: expected,
      });
    }));

  it('refuses to create a session that already exists (expectedVersion 0 twice)', () =>
    run(async ({ store }) => {
      const key = uniqueKey('create-twice');
      const data = makeSessionData();
      expect((await store.commit({ key, expectedVersion: 0, data, sessionTtlMs: SESSION_TTL_MS })).ok).toBe(true);
      const again = await store.commit({ key, expectedVersion: 0, data: { locale: 'en' }, sessionTtlMs: 1000 });
      expect(again).toEqual({ ok: false, conflict: 'session' });
      const raceKey = uniqueKey('create-race');
      const both = await Promise.all([
        store.commit({ key: raceKey, expectedVersion: 0, data, sessionTtlMs: SESSION_TTL_MS }),
        store.commit({ key: raceKey, expectedVersion: 0, data, sessionTtlMs: SESSION_TTL_MS }),
      ]);
      expect(both.filter((result) => result.ok)).toHaveLength(1);
      expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session).toEqual({
        version: 1,
        data,
      });
    }));

  it('expires a session after its TTL, refreshes the TTL on every save, and accepts a fresh save at 0', () =>
    run(async ({ store, clock }) => {
      const key = uniqueKey('ttl');
      const load = async () => (await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session;
      await store.commit({ key, expectedVersion: 0, data: makeSessionData(), sessionTtlMs: SESSION_TTL_MS });
      clock.advance(SESSION_TTL_MS - 20_000);
      expect((await load())?.version).toBe(1);
      await store.commit({ key, expectedVersion: 1, data: makeSessionData(), sessionTtlMs: SESSION_TTL_MS });
      clock.advance(SESSION_TTL_MS - 20_000);
      expect((await load())?.version).toBe(2);
      clock.advance(21_000);
      expect(await load()).toBeUndefined();
      const stale = await store.commit({ key, expectedVersion: 2, data: { locale: 'en' }, sessionTtlMs: 1000 });
      expect(stale).toEqual({ ok: false, conflict: 'session' });
      const fresh = await store.commit({ key, expectedVersion: 0, data: { locale: 'en' }, sessionTtlMs: 1000 });
      expect(fresh).toEqual({ ok: true, version: 1 });
      expect(await load()).toEqual({ version: 1, data: { locale: 'en' } });
    }));

  it('deletes a session with data null and returns version 0', () =>
    run(async ({ store }) => {
      const key = uniqueKey('delete');
      await store.commit({ key, expectedVersion: 0, data: makeSessionData(), sessionTtlMs: SESSION_TTL_MS });
      const stale = await store.commit({ key, expectedVersion: 5, data: null, sessionTtlMs: SESSION_TTL_MS });
      expect(stale).toEqual({ ok: false, conflict: 'session' });
      expect(await store.commit({ key, expectedVersion: 1, data: null, sessionTtlMs: SESSION_TTL_MS })).toEqual({
        ok: true,
        version: 0,
      });
      expect((await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session).toBeUndefined();
      const again = await store.commit({ key, expectedVersion: 0, data: { locale: 'en' }, sessionTtlMs: 1000 });
      expect(again).toEqual({ ok: true, version: 1 });
    }));

  it('round-trips data with __proto__ keys without polluting Object.prototype', () =>
    run(async ({ store }) => {
      const key = uniqueKey('proto');
      const values = JSON.parse(
        '{"__proto__":{"polluted":"yes"},"name":"x",' +
          '"nested":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}}',
      ) as Record<string, JsonValue>;
      const data: SessionData = { flow: makeFlowState({ values }) };
      expect((await store.commit({ key, expectedVersion: 0, data, sessionTtlMs: SESSION_TTL_MS })).ok).toBe(true);
      const loaded = (await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session;
      const loadedValues = loaded?.data.flow?.values ?? {};
      expect(loadedValues['name']).toBe('x');
      expect(Object.getPrototypeOf(loadedValues)).toBe(Object.prototype);
      // A store may drop a `__proto__` key or keep it as plain data; it must never become a prototype.
      if (Object.hasOwn(loadedValues, '__proto__')) expect(loadedValues['__proto__']).toEqual({ polluted: 'yes' });
      expect(loadedValues['nested']).toMatchObject({ constructor: { prototype: { polluted: 'yes' } } });
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    }));

  it('round-trips unicode exactly: emoji, RTL overrides, lone surrogates, NUL and 100 KB strings', () =>
    run(async ({ store }) => {
      const key = { platform: 'slack', chatId: uniqueKey('unicode').chatId + '-频道-🧪', userId: 'U‮evil‬' };
      const big = '青岛科技周🔬'.repeat(12_800) + 'x'.repeat(30_000);
      expect(big.length).toBeGreaterThan(100_000);
      const values: Record<string, JsonValue> = {
        emoji: '👩🏽‍🔬🧬 family 👨‍👩‍👧‍👦 flag 🇨🇳',
        rtl: 'abc\u202Eevil.exe\u202Ctxt \u200F\u05E9\u05DC\u05D5\u05DD',
        combining: 'e\u0301 vs é, ﬁ, Ａ１２３，。',
        controls: 'nul\u0000 tab\t newline\n cr\r bell\u0007',
        loneSurrogate: 'broken \uD83D end',
        big,
        '键🔑': ['值', { '\u202E': '\u202E' }],
      };
      const data: SessionData = { district: '崂山区 🏔', flow: makeFlowState({ values, cursor: { kind: 'field', fieldId: '键🔑' } }) };
      expect((await store.commit({ key, expectedVersion: 0, data, sessionTtlMs: SESSION_TTL_MS })).ok).toBe(true);
      const loaded = (await store.begin({ deliveryId: undefined, dedupeTtlMs: 1000, key })).session;
      expect(loaded).toEqual({ version: 1, data });
      expect(loaded?.data.flow?.values['big']).toBe(big);
    }));
}
