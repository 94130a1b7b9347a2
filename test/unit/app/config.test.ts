import { describe, expect, it } from 'vitest';
import { hasNoPlatform, loadConfig } from '../../../src/app/config.js';
import { ConfigError } from '../../../src/kernel/errors.js';

describe('config', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.METRICS_TOKEN).toBeUndefined();
    expect(config.DATA_DIR).toBe('./var');
    expect(config.DEFAULT_LOCALE).toBe('zh-CN');
    expect(config.TELEGRAM_API_ROOT).toBe('https://api.telegram.org');
    expect(config.STAFF_IDS).toEqual([]);
    expect(config.REDIS_URL).toBeUndefined();
    expect(hasNoPlatform(config)).toBe(true);
  });

  it('parses every variable', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: '123:abc',
      TELEGRAM_WEBHOOK_URL: 'https://bot.example.org/telegram',
      TELEGRAM_WEBHOOK_SECRET: 's3cret_-',
      SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_APP_TOKEN: 'xapp-1',
      SLACK_API_URL: 'http://127.0.0.1:9999/api/',
      PORT: '8080',
      HOST: '0.0.0.0',
      METRICS_TOKEN: 'scrape-token_0123456789',
      REDIS_URL: 'redis://127.0.0.1:6379/2',
      STAFF_IDS: 'telegram:123, slack:U123 ,console:local',
      LOG_LEVEL: 'debug',
      SCIWEEK_NOW: '2021-04-20T10:00:00+08:00',
      DEFAULT_LOCALE: 'en',
    });
    expect(config.PORT).toBe(8080);
    expect(config.HOST).toBe('0.0.0.0');
    expect(config.METRICS_TOKEN).toBe('scrape-token_0123456789');
    expect(config.STAFF_IDS).toEqual(['telegram:123', 'slack:U123', 'console:local']);
    expect(config.SCIWEEK_NOW).toBe('2021-04-20T10:00:00+08:00');
    expect(config.DEFAULT_LOCALE).toBe('en');
    expect(hasNoPlatform(config)).toBe(false);
  });

  it('treats empty strings as unset', () => {
    const config = loadConfig({ TELEGRAM_BOT_TOKEN: '', REDIS_URL: '', SCIWEEK_NOW: '', HOST: '', METRICS_TOKEN: '' });
    expect(config.TELEGRAM_BOT_TOKEN).toBeUndefined();
    expect(config.HOST).toBe('127.0.0.1');
    expect(config.METRICS_TOKEN).toBeUndefined();
    expect(config.REDIS_URL).toBeUndefined();
    expect(hasNoPlatform(config)).toBe(true);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '-1' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ REDIS_URL: 'not a url' }, 'REDIS_URL'],
    [{ HOST: 'http://0.0.0.0' }, 'HOST'],
    [{ HOST: 'two words' }, 'HOST'],
    [{ METRICS_TOKEN: 'short' }, 'METRICS_TOKEN'],
    [{ METRICS_TOKEN: 'has a space in it 0123456789' }, 'METRICS_TOKEN'],
    [{ STAFF_IDS: 'telegram:1,bob' }, 'STAFF_IDS'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ SCIWEEK_NOW: 'yesterday' }, 'SCIWEEK_NOW'],
    [{ DEFAULT_LOCALE: 'fr' }, 'DEFAULT_LOCALE'],
    [{ TELEGRAM_WEBHOOK_URL: 'https://x.example' }, 'TELEGRAM_WEBHOOK_SECRET'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1' }, 'SLACK_BOT_TOKEN'],
  ])('refuses %o naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(new RegExp(name));
  });

  it.each(['::', '::1', '192.0.2.10', 'localhost', 'bot.internal'])('takes HOST=%s', (host) => {
    expect(loadConfig({ HOST: host }).HOST).toBe(host);
  });
});
