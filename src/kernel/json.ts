/**
 * JSON values as they cross the store boundary: everything a flow keeps in a draft or a filing is
 * plain JSON, so both stores can serialise it without custom revivers.
 */
import { z } from 'zod';

/** A plain JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Nesting deeper than this is not a value the bot wrote (and would overflow a recursive check). */
const MAX_JSON_DEPTH = 64;

/** True when `value` is a plain JSON value: no functions, undefined, NaN, Infinity, class instances or cycles past the depth limit. */
export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth >= MAX_JSON_DEPTH) return false;
      if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
      const proto: unknown = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return false;
      for (const key in value) {
        if (!isJsonValue((value as Record<string, unknown>)[key], depth + 1)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

/**
 * zod schema of a {@link JsonValue}; rejects functions, undefined, NaN and Infinity. A hand-written
 * check rather than a recursive zod union: every session read runs it over a whole draft, and the
 * union costs about ten times as much.
 */
export const jsonValueSchema: z.ZodType<JsonValue> = z.custom<JsonValue>((value) => isJsonValue(value), { message: 'not a JSON value' });

/**
 * Parses JSON text without letting `__proto__` keys reach an object's prototype. The reviver that
 * drops them costs a call per value, so it runs only when the text can hold such a key at all (the
 * key may be written with escapes, so any backslash-u also takes the careful path).
 */
export function parseJsonSafely(text: string): unknown {
  if (!text.includes('__proto__') && !text.includes('\\u')) return JSON.parse(text);
  return JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));
}

/** A plain object (not null, not an array), to read fields of a value whose shape is not known. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a string; undefined otherwise. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** The value when it is a finite number of zero or more (a size, a duration); undefined otherwise. */
export function asCount(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
