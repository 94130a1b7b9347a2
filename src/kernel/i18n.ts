/**
 * The words. Every user-facing string lives in `locales/<locale>.json` (nested objects, `{name}`
 * placeholders); code only names keys. Both files must have the same keys, checked at load.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { LOCALES, type Locale } from './locale.js';
import { parseJsonSafely } from './json.js';

/** Parameters substituted into `{name}` placeholders. */
export type I18nParams = Record<string, string | number>;

/** Looks up a message by key in a locale and fills its placeholders. */
export type Translate = (key: string, params?: I18nParams) => string;

/** All locales' messages, flattened to dotted keys. */
export interface I18n {
  /** A translator bound to one locale. */
  forLocale(locale: Locale): Translate;
  /** True when the key exists (in every locale: the load checks that). */
  has(key: string): boolean;
  /** Every key, sorted. */
  keys(): string[];
}

type Tree = { [key: string]: string | Tree };
const treeSchema: z.ZodType<Tree> = z.lazy(() => z.record(z.string(), z.union([z.string(), treeSchema])));

/** Flattens a nested message tree into dotted keys. */
export function flattenMessages(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') out.set(full, value);
    else for (const [k, v] of flattenMessages(value, full)) out.set(k, v);
  }
  return out;
}

/**
 * Fills `{name}` placeholders, and `{name|one|other}` by the number: `one` when it is 1, else
 * `other` (`{count} {count|file|files}`); an unknown placeholder is left as written so it shows in tests.
 */
export function fillPlaceholders(template: string, params: I18nParams | undefined): string {
  if (params === undefined) return template;
  const counted = template.replace(/\{(\w+)\|([^|{}]*)\|([^|{}]*)\}/g, (whole, name: string, one: string, other: string) => {
    const value = params[name];
    return value === undefined ? whole : Number(value) === 1 ? one : other;
  });
  return counted.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** Builds an {@link I18n} from already-parsed message trees; throws ConfigError when keys differ. */
export function createI18n(trees: Record<Locale, unknown>): I18n {
  const flat = new Map<Locale, Map<string, string>>();
  for (const locale of LOCALES) {
    const parsed = treeSchema.safeParse(trees[locale]);
    if (!parsed.success) throw new ConfigError(`locales/${locale}.json: ${z.prettifyError(parsed.error)}`);
    flat.set(locale, flattenMessages(parsed.data));
  }
  const reference = flat.get(LOCALES[0]) ?? new Map<string, string>();
  for (const locale of LOCALES) {
    const messages = flat.get(locale) ?? new Map<string, string>();
    const missing = [...reference.keys()].filter((k) => !messages.has(k));
    const extra = [...messages.keys()].filter((k) => !reference.has(k));
    if (missing.length > 0 || extra.length > 0) {
      throw new ConfigError(
        `locales/${locale}.json differs from ${LOCALES[0]}: missing [${missing.join(', ')}], extra [${extra.join(', ')}]`,
      );
    }
  }
  // One translate function per locale, made once: every message asks for one.
  const translators = new Map<Locale, Translate>(
    LOCALES.map((locale) => {
      const messages = flat.get(locale) ?? reference;
      return [locale, (key: string, params?: I18nParams) => fillPlaceholders(messages.get(key) ?? key, params)];
    }),
  );
  const fallback: Translate = (key, params) => fillPlaceholders(reference.get(key) ?? key, params);
  return {
    forLocale: (locale) => translators.get(locale) ?? fallback,
    has: (key) => reference.has(key),
    keys: () => [...reference.keys()].sort(),
  };
}

/** Reads `locales/*.json` from a directory and builds the {@link I18n}. */
export function loadI18n(localesDir: string): I18n {
  const trees = {} as Record<Locale, unknown>;
  for (const locale of LOCALES) {
    const file = path.join(localesDir, `${locale}.json`);
    try {
      trees[locale] = parseJsonSafely(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
  }
  return createI18n(trees);
}
