/**
 * JSON values as they cross the store boundary: everything a flow keeps in a draft or a filing is
 * plain JSON, so both stores can serialise it without custom revivers.
 */
import { z } from 'zod';

/** A plain JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** zod schema of a {@link JsonValue}; rejects functions, undefined, NaN and Infinity. */
export const jsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.string(),
    z.number().finite(),
    z.boolean(),
    z.null(),
    z.array(jsonValueSchema),
    z.record(z.string(), jsonValueSchema),
  ]),
);

/**
 * Parses JSON text without letting `__proto__` keys reach an object's prototype. The reviver that
 * drops them costs a call per value, so it runs only when the text can hold such a key at all (the
 * key may be written with escapes, so any backslash-u also takes the careful path).
 */
export function parseJsonSafely(text: string): unknown {
  if (!text.includes('__proto__') && !text.includes('\\u')) return JSON.parse(text);
  return JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));
}
