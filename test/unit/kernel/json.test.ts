import { describe, expect, it } from 'vitest';
import { isJsonValue, jsonValueSchema, parseJsonSafely } from '../../../src/kernel/json.js';

describe('parseJsonSafely', () => {
  it('drops __proto__ keys, also when written with escapes, and pollutes nothing', () => {
    for (const text of ['{"__proto__":{"polluted":1},"a":1}', '{"\\u005f_proto__":{"polluted":1},"a":1}', '[{"x":{"__proto__":{"polluted":1}}}]']) {
      const parsed = parseJsonSafely(text) as Record<string, unknown>;
      expect(JSON.stringify(parsed)).not.toContain('polluted');
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    }
  });

  it('parses ordinary JSON exactly like JSON.parse', () => {
    const text = JSON.stringify({ a: [1, 'é', null, { b: '市南区 \\u0007 😀' }], c: '\u0007' });
    expect(parseJsonSafely(text)).toEqual(JSON.parse(text));
  });
});

describe('jsonValueSchema', () => {
  it('accepts plain JSON, nested', () => {
    const value = { a: [1, -0.5, 'x', true, null, { b: [[], {}] }], 'é': { c: '市南区' } };
    expect(jsonValueSchema.safeParse(value).success).toBe(true);
    expect(jsonValueSchema.safeParse(JSON.parse(JSON.stringify(value))).data).toEqual(value);
  });

  it('refuses what JSON cannot hold, at any depth', () => {
    class Point {
      x = 1;
    }
    const refused: unknown[] = [undefined, Number.NaN, Infinity, () => 1, new Date(0), new Map(), new Point(), Symbol('s'), 1n];
    for (const bad of refused) {
      expect(isJsonValue(bad)).toBe(false);
      expect(jsonValueSchema.safeParse({ a: [{ b: bad }] }).success).toBe(false);
      expect(jsonValueSchema.safeParse([1, bad]).success).toBe(false);
    }
  });

  it('refuses nesting past its depth limit instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 10_000; i += 1) deep = [deep];
    expect(jsonValueSchema.safeParse(deep).success).toBe(false);
    let ok: unknown = 1;
    for (let i = 0; i < 32; i += 1) ok = { k: ok };
    expect(jsonValueSchema.safeParse(ok).success).toBe(true);
  });
});
