import { describe, expect, it } from 'vitest';
import { parseJsonSafely } from '../../../src/core/json.js';

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
