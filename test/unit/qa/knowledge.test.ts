/**
 * `data/qa.json` is validated at start: the shipped file passes against the event and the locales,
 * and every kind of mistake is a ConfigError that names the file and the exact path.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/kernel/errors.js';
import { createI18n } from '../../../src/kernel/i18n.js';
import { QA_FILE as SHIPPED_QA_FILE } from '../../../src/app/paths.js';
import { checkQaKnowledge, loadQaKnowledge, parseQaKnowledge, type QaKnowledge } from '../../../src/qa/knowledge.js';
import { event, i18n, QA_FILE, ROOT } from '../../support/qa-context.js';

const shipped = (): Record<string, unknown> => JSON.parse(readFileSync(QA_FILE, 'utf8')) as Record<string, unknown>;

function topicsOf(data: Record<string, unknown>): Record<string, unknown>[] {
  return data['topics'] as Record<string, unknown>[];
}

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

function writeTemp(content: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sciweek-qa-'));
  dirs.push(dir);
  const file = path.join(dir, 'qa.json');
  writeFileSync(file, content);
  return file;
}

function errorOf(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('data/qa.json', () => {
  it('is the file in data/ and passes every check against the shipped event and locales', () => {
    expect(SHIPPED_QA_FILE).toBe(path.join(ROOT, 'data', 'qa.json'));
    const qa = loadQaKnowledge(QA_FILE);
    expect(() => checkQaKnowledge(qa, event, i18n)).not.toThrow();
    expect(qa.topics.length).toBeGreaterThan(30);
  });

  it('refuses a file that is not JSON, naming the file', () => {
    const file = writeTemp('{ "minScore": 3, ');
    const error = errorOf(() => loadQaKnowledge(file));
    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain(file);
  });

  it('names the path of a shape error', () => {
    const data = shipped();
    topicsOf(data)[2] = { ...topicsOf(data)[2], answer: 'weather-report' };
    const error = errorOf(() => parseQaKnowledge(data, 'data/qa.json'));
    expect(error.message).toMatch(/^data\/qa\.json: topics\.2\.answer: /mu);
  });

  it('names the path of an unknown concept, a duplicate topic and a dangling related topic', () => {
    const data = shipped();
    const topics = topicsOf(data);
    topics[3] = { ...topics[3], signals: { 'no-such-concept': 2 } };
    topics[4] = { ...topics[4], id: String(topics[5]?.['id']) };
    topics[6] = { ...topics[6], related: ['nowhere'] };
    const file = writeTemp(JSON.stringify(data));
    const message = errorOf(() => loadQaKnowledge(file)).message;
    expect(message).toContain(`${file}: topics.3.signals.no-such-concept: no concept has id "no-such-concept"`);
    expect(message).toMatch(/topics\.5\.id: duplicate topic id/u);
    expect(message).toContain('topics.6.related.0: no topic has id "nowhere"');
  });

  it('requires a ref for answers about one entry of the event', () => {
    const data = shipped();
    const index = topicsOf(data).findIndex((topic) => topic['answer'] === 'form');
    const { ref: _dropped, ...rest } = topicsOf(data)[index] ?? {};
    topicsOf(data)[index] = rest;
    expect(errorOf(() => parseQaKnowledge(data, 'qa.json')).message).toContain(`qa.json: topics.${index}.ref: answer "form" needs a ref`);
  });

  it('checks refs against the event and button texts against the locales', () => {
    const qa = loadQaKnowledge(QA_FILE);
    const index = qa.topics.findIndex((topic) => topic.answer === 'content');
    const broken: QaKnowledge = { ...qa, topics: qa.topics.map((topic, i) => (i === index ? { ...topic, ref: 'no-such-content' } : topic)) };
    expect(errorOf(() => checkQaKnowledge(broken, event, i18n, 'qa.json')).message).toContain(
      `qa.json: topics.${index}.ref: no contents entry of the event has id "no-such-content"`,
    );
    const words = createI18n({ 'zh-CN': { qa: { unknown: '？' } }, en: { qa: { unknown: '?' } } });
    expect(errorOf(() => checkQaKnowledge(qa, event, words, 'qa.json')).message).toContain('lack "qa.suggest.week"');
  });
});
