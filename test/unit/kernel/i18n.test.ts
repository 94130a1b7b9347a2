import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allFlows } from '../../../flows/index.js';
import { ConfigError } from '../../../src/kernel/errors.js';
import { createI18n, fillPlaceholders, flattenMessages, loadI18n } from '../../../src/kernel/i18n.js';
import { checkFlowMessages } from '../../../src/flow/define.js';

const LOCALES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../locales');

describe('locales', () => {
  const i18n = loadI18n(LOCALES_DIR);

  it('zh-CN and en have the same keys, and every message is non-empty', async () => {
    const { readFile } = await import('node:fs/promises');
    const zh = flattenMessages(JSON.parse(await readFile(path.join(LOCALES_DIR, 'zh-CN.json'), 'utf8')) as never);
    const en = flattenMessages(JSON.parse(await readFile(path.join(LOCALES_DIR, 'en.json'), 'utf8')) as never);
    expect([...zh.keys()].sort()).toEqual([...en.keys()].sort());
    for (const [key, value] of [...zh, ...en]) expect(value.trim(), key).not.toBe('');
  });

  it('uses the same placeholders in both languages', () => {
    const zh = i18n.forLocale('zh-CN');
    const en = i18n.forLocale('en');
    const names = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1] ?? '').sort();
    for (const key of i18n.keys()) expect(names(en(key)), key).toEqual(names(zh(key)));
  });

  it('has every key the flows need', () => {
    for (const flow of allFlows) expect(() => checkFlowMessages(flow, i18n)).not.toThrow();
  });

  it('says the receipt as the design asks', () => {
    expect(i18n.forLocale('zh-CN')('filings.receipt', { receipt: 'KP-1' })).toBe('回执号：KP-1');
    expect(i18n.forLocale('en')('filings.receipt', { receipt: 'KP-1' })).toBe('Receipt: KP-1');
  });

  it('refuses locales whose keys differ, naming the keys', () => {
    expect(() => createI18n({ 'zh-CN': { a: '1', b: '2' }, en: { a: '1', c: '3' } })).toThrow(ConfigError);
    expect(() => createI18n({ 'zh-CN': { a: '1', b: '2' }, en: { a: '1', c: '3' } })).toThrow(/missing \[b\], extra \[c\]/);
    expect(() => createI18n({ 'zh-CN': { a: 1 }, en: { a: '1' } })).toThrow(ConfigError);
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(fillPlaceholders('{a}-{b}', { a: 1 })).toBe('1-{b}');
    expect(fillPlaceholders('{a}', undefined)).toBe('{a}');
    expect(fillPlaceholders('{n} {n|file|files}', { n: 1 })).toBe('1 file');
    expect(fillPlaceholders('{n} {n|file|files}', { n: 2 })).toBe('2 files');
    expect(fillPlaceholders('{n} {n|file|files}', { n: 0 })).toBe('0 files');
    expect(fillPlaceholders('{n|file|files}', {})).toBe('{n|file|files}');
  });
});
