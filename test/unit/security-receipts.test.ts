/**
 * Receipts cannot be enumerated: they are drawn uniformly from a CSPRNG (49.5 bits), every
 * lookup of someone else's receipt answers like a receipt that does not exist, and a user whose
 * `/receipt`, `/edit` or `/withdraw` missed 20 times within an hour is told to wait — without a lookup —
 * while other users and the user's own `/my` are unaffected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReceipt, createDraftId, randomSymbols, RECEIPT_ALPHABET, RECEIPT_BITS, RECEIPT_LENGTH } from '../../src/domain/receipt.js';
import { createReceiptGuard, DEFAULT_RECEIPT_GUARD } from '../../src/bot/receipt-guard.js';
import { createHarness, submitKeyProject, translate, type Harness } from '../support/engine-harness.js';

const zh = translate('zh-CN');
const en = translate('en');

let h: Harness;
beforeAll(() => {
  h = createHarness();
});
afterAll(async () => {
  await h.cleanup();
});

describe('receipt numbers', () => {
  it('carry at least 49 bits, in the documented shape, without repeats', () => {
    expect(RECEIPT_BITS).toBeGreaterThan(49);
    const seen = new Set<string>();
    for (let i = 0; i < 20_000; i += 1) {
      const receipt = createReceipt('KP');
      expect(receipt).toMatch(new RegExp(`^KP-[${RECEIPT_ALPHABET}]{${RECEIPT_LENGTH}}$`));
      seen.add(receipt);
    }
    expect(seen.size).toBe(20_000);
    expect(createDraftId()).toMatch(/^[a-z2-9]{6}$/);
  });

  it('draw every symbol equally often (chi-square, 31 symbols; byte % 31 alone would fail it)', () => {
    const samples = 310_000;
    const counts = new Map<string, number>();
    for (const symbol of randomSymbols(RECEIPT_ALPHABET, samples)) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    expect(counts.size).toBe(31);
    const expected = samples / 31;
    const chi = [...counts.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // 30 degrees of freedom: a fair draw exceeds 70 with p < 0.0001; `byte % 31` scores about 870 here.
    expect(chi).toBeLessThan(70);
  });
});

describe('guessing receipts', () => {
  it('answers someone else\'s receipt exactly like one that does not exist, for /receipt, /edit and /withdraw', async () => {
    const theirs = await submitKeyProject(h, { userId: 'owner-a' });
    for (const command of ['/receipt', '/edit', '/withdraw']) {
      const other = await h.say(`${command} ${theirs}`, { userId: 'guesser-a' });
      const none = await h.say(`${command} KP-2345678923`, { userId: 'guesser-a' });
      expect(other.text).toBe(zh('filings.not_found'));
      expect(other.text).toBe(none.text);
    }
  });

  it('makes a user wait after 20 misses in an hour, without a lookup; other users and /my are unaffected', async () => {
    const guesser = { userId: 'guesser-b' };
    const ownReceipt = await submitKeyProject(h, guesser);
    const victim = await submitKeyProject(h, { userId: 'victim-b' });
    const commands = ['/receipt', '/edit', '/withdraw'];
    for (let i = 0; i < DEFAULT_RECEIPT_GUARD.maxMisses; i += 1) {
      const turn = await h.say(`${commands[i % 3] ?? '/receipt'} ${createReceipt('KP')}`, guesser);
      expect(turn.text).toBe(zh('filings.not_found'));
    }
    // The 21st guess is refused before any lookup, even when it names a real filing, theirs or not.
    const limited = zh('security.receipt_lookups_limited', { minutes: 60 });
    expect((await h.say(`/receipt ${victim}`, guesser)).text).toBe(limited);
    expect((await h.say(`/receipt ${ownReceipt}`, guesser)).text).toBe(limited);
    expect((await h.say(`/withdraw ${victim} confirm`, guesser)).text).toBe(limited);
    expect((await h.store.getFiling(victim))?.status).toBe('submitted');
    expect((await h.say('/my', guesser)).text).toContain(ownReceipt);
    // Another user is not affected.
    expect((await h.say(`/receipt ${victim}`, { userId: 'victim-b' })).text).toContain(victim);
    // In English too.
    expect((await h.say(`/receipt ${victim}`, { ...guesser, localeHint: 'en' })).text).toMatch(/^Too many receipt numbers|^查不到/);

    // An hour after the first miss, lookups work again.
    h.clock.set(new Date(h.clock.now().getTime() + 60 * 60 * 1000 + 1));
    expect((await h.say(`/receipt ${ownReceipt}`, guesser)).text).toContain(ownReceipt);
  });

  it('counts misses in a sliding window and forgets the oldest users first', () => {
    const guard = createReceiptGuard({ maxMisses: 3, windowMs: 1000, maxUsers: 2 });
    const at = (ms: number): Date => new Date(ms);
    guard.miss('a', at(0));
    guard.miss('a', at(100));
    expect(guard.waitMs('a', at(200))).toBe(0);
    guard.miss('a', at(200));
    expect(guard.waitMs('a', at(300))).toBe(700);
    expect(guard.waitMs('a', at(1000))).toBe(0);
    guard.miss('b', at(1000));
    guard.miss('c', at(1000));
    guard.miss('a', at(1000));
    expect(guard.waitMs('b', at(1000))).toBe(0);
    expect(en('security.receipt_lookups_limited', { minutes: 5 })).toContain('5');
  });
});
