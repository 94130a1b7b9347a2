/**
 * The configuration: one zod schema over the environment, parsed once at start. A bad
 * value stops the start with a message naming the variable; nothing else reads process.env.
 */
import { z } from 'zod';
import { ConfigError } from '../kernel/errors.js';
import { localeSchema } from '../kernel/locale.js';

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const url = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .pipe(z.url({ protocol: /^(https?|rediss?)$/ }).optional())
  .optional();

/** An address to listen on: an IPv4 or IPv6 address, or a host name (`localhost`). */
const listenHost = optionalText.pipe(z.union([z.ipv4(), z.ipv6(), z.hostname()], { error: 'use an IP address (127.0.0.1, 0.0.0.0, ::) or a host name' }).optional());

const staffId = z.string().regex(/^(telegram|slack|console):[\w.-]+$/, 'each staff id is platform:id, e.g. telegram:123');

/** The environment schema; every name is documented in the README's configuration table. */
export const configSchema = z
  .object({
    TELEGRAM_BOT_TOKEN: optionalText,
    TELEGRAM_API_ROOT: url.default('https://api.telegram.org'),
    TELEGRAM_WEBHOOK_URL: url,
    TELEGRAM_WEBHOOK_SECRET: optionalText.pipe(
      z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'use 1-256 characters of A-Z a-z 0-9 _ -').optional(),
    ),
    SLACK_BOT_TOKEN: optionalText,
    SLACK_SIGNING_SECRET: optionalText,
    SLACK_APP_TOKEN: optionalText,
    SLACK_API_URL: url,
    HOST: listenHost.default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    METRICS_TOKEN: optionalText.pipe(
      z.string().regex(/^[\x21-\x7e]{16,256}$/, 'use 16-256 visible ASCII characters, no spaces').optional(),
    ),
    REDIS_URL: url,
    REDIS_KEY_PREFIX: z.string().trim().min(1).max(64).default('sciweek:'),
    SESSION_TTL_DAYS: z.coerce.number().positive().max(3650).default(30),
    DATA_DIR: z.string().trim().min(1).default('./var'),
    INBOX_PARTITIONS: z.coerce.number().int().min(1).max(256).default(8),
    INBOX_LEASE_SECONDS: z.coerce.number().min(1).max(600).default(10),
    STAFF_IDS: z
      .string()
      .default('')
      .transform((value) => value.split(',').map((id) => id.trim()).filter((id) => id !== ''))
      .pipe(z.array(staffId)),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
    SCIWEEK_NOW: optionalText.pipe(z.iso.datetime({ offset: true }).optional()),
    DEFAULT_LOCALE: localeSchema.default('zh-CN'),
  })
  .superRefine((env, ctx) => {
    if ((env.TELEGRAM_WEBHOOK_URL === undefined) !== (env.TELEGRAM_WEBHOOK_SECRET === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['TELEGRAM_WEBHOOK_SECRET'], message: 'TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET go together' });
    }
    if (env.SLACK_BOT_TOKEN !== undefined && env.SLACK_SIGNING_SECRET === undefined && env.SLACK_APP_TOKEN === undefined) {
      ctx.addIssue({ code: 'custom', path: ['SLACK_BOT_TOKEN'], message: 'SLACK_BOT_TOKEN needs SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode)' });
    }
  });

/** The parsed configuration. */
export type Config = z.infer<typeof configSchema>;

/** Parses the environment; throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.') || '(environment)'}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
}

/** True when no platform token is set: `npm start` then opens the console chat. */
export function hasNoPlatform(config: Config): boolean {
  return config.TELEGRAM_BOT_TOKEN === undefined && config.SLACK_BOT_TOKEN === undefined;
}
