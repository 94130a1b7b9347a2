/**
 * The outcome of parsing one user answer. Invalid input is an expected outcome in a chat, so
 * parsers return it as a value instead of throwing; the reason is a stable dotted code that the
 * flow maps to a localized message `errors.<code>`.
 */

/** Values a reason may carry into its message (`{max}`, `{text}`, …). */
export type ParseParams = Record<string, string | number>;

/** A rejected answer: `error` is a dotted reason code such as `phone.invalid`. */
export type ParseFailure = { ok: false; error: string; params?: ParseParams };

/** An accepted answer, already normalised. */
export type ParseSuccess<T> = { ok: true; value: T };

/** What every parser returns, so callers handle success and rejection the same way for each field. */
export type ParseResult<T> = ParseSuccess<T> | ParseFailure;

/** Builds an accepted result; a helper so parsers read as `return ok(value)`. */
export function ok<T>(value: T): ParseSuccess<T> {
  return { ok: true, value };
}

/**
 * Builds a rejected result. `params` is left out entirely when not given, which keeps results
 * comparable with `toEqual` and valid under `exactOptionalPropertyTypes`.
 */
export function fail(error: string, params?: ParseParams): ParseFailure {
  return params === undefined ? { ok: false, error } : { ok: false, error, params };
}
