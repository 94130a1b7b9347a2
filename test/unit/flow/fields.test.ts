import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allFlows } from '../../../flows/index.js';
import { loadEvent } from '../../../src/domain/event.js';
import { loadI18n } from '../../../src/kernel/i18n.js';
import type { FieldContext } from '../../../src/flow/define.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const event = loadEvent(path.join(ROOT, 'data/event.json'));
const i18n = loadI18n(path.join(ROOT, 'locales'));
const ctx: FieldContext = { event, locale: 'zh-CN', now: new Date('2021-04-20T02:00:00Z'), t: i18n.forLocale('zh-CN') };

const SAMPLES = ['', ' ', 'abc', '0', '-5', '3.5', '12345', '2月30日', 'a@b', '5月28日-22日', '1'.repeat(3000), '200-300人', '３-５万', '+86', '0532-1', '１３８'];

describe('fields of every flow', () => {
  for (const flow of allFlows) {
    it(`${flow.id}: every rejection has a localized reason`, () => {
      const codes = new Set<string>();
      for (const field of flow.fields) {
        for (const sample of SAMPLES) {
          const result = field.parse(sample, ctx);
          if (!result.ok) codes.add(result.error);
        }
        fc.assert(
          fc.property(fc.string({ maxLength: 60 }), (text) => {
            const result = field.parse(text, ctx);
            if (!result.ok) codes.add(result.error);
          }),
          { numRuns: 200 },
        );
      }
      // Every field kind of the flow is exercised: several reasons per kind come back.
      expect(codes.size).toBeGreaterThan(new Set(flow.fields.map((f) => f.kind)).size);
      for (const code of codes) expect(i18n.has(`errors.${code}`), code).toBe(true);
    });

    it(`${flow.id}: every accepted value matches the field's stored schema and formats back`, () => {
      for (const field of flow.fields) {
        fc.assert(
          fc.property(fc.string({ maxLength: 40 }), (text) => {
            const result = field.parse(text, ctx);
            if (!result.ok) return;
            expect(field.schema.safeParse(result.value).success).toBe(true);
            expect(typeof field.format(result.value, ctx)).toBe('string');
          }),
          { numRuns: 100 },
        );
      }
    });
  }

  it('text fields keep Chinese punctuation as the user wrote it', () => {
    const summary = allFlows.find((f) => f.id === 'key-project')?.fields.find((f) => f.id === 'summary');
    const text = '活动面向青少年开放，内容包括：展览（免费）、讲座！参加人员为中小学生。';
    expect(summary?.parse(text, ctx)).toEqual({ ok: true, value: text });
  });
});
